"""Reference stacks: deployable compositions of ``emr_constructs``, configured from ``cdk.json`` context."""
