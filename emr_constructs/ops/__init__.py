"""The ``emrctl`` ops CLI (boto3, click, rich). Never imports aws_cdk or jsii."""
