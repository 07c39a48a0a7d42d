"""What the constructs and the ``emrctl`` CLI share, in pure Python: this package never imports aws_cdk, constructs
or jsii, so the CLI starts fast and the knowledge is written once.

- ``releases``: release labels, capability floors, the default release of each runtime.
- ``workers``: EMR Serverless worker sizes and their checks.
- ``naming``: base36 and the EMR on EKS service-account names.
- ``validation``: the validators (token-unaware; ``emr_constructs._internal.validation`` lets CDK tokens pass).
- ``tokens``: recognising an unresolved CDK token by its encoding.
- ``iam_actions``: every IAM action the library grants.
- ``spark``: spark-submit arguments.
- ``tags``: cost-allocation and library tag keys.
- ``outputs``: the output keys of the reference stacks, which the stacks write and ``emrctl --stack`` reads.
- ``replacement``: the properties whose change replaces an EMR resource, and the library prop that sets each.
"""
