"""Fixed-cost report of synthesized templates at list prices (pure Python, no aws_cdk)."""
