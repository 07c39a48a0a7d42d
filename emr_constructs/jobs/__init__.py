"""Jobs: the portable ``SparkJob`` spec and its renderers (pure Python).

The Step Functions pipeline construct lives in ``emr_constructs.jobs.pipeline`` (it imports aws_cdk).
"""

from emr_constructs.jobs.spec import SparkJob

__all__ = ["SparkJob"]
