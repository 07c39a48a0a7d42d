"""Cost-allocation tag keys, the same on every runtime so one Cost Explorer filter covers EC2, Serverless and EKS.

See: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html
"""

from __future__ import annotations

APPLICATION_TAG = "application"
"""The application a runtime belongs to. Default value: the construct id."""
COST_CENTER_TAG = "cost-center"
"""The cost center billed for a runtime; tagged only when given."""

PIPELINE_TAG_KEY = "emr-constructs:pipeline"
"""Tag on the transient clusters of a ``SparkPipeline``; its state machine may only describe, step and terminate
clusters carrying its value."""
