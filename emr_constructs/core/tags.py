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

EMR_MANAGED_POLICY_TAG = ("for-use-with-amazon-emr-managed-policies", "true")
"""AmazonEMRServicePolicy_v2 (the EMR on EC2 service role's policy) only creates network interfaces, instances and
fleets in subnets and security groups that carry this tag (its statement ``CreateInTaggedNetwork``).

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html and
https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html
"""
