"""Apache Iceberg on EMR on EKS: the ``configurationOverrides`` of a StartJobRun request (or a job template).

EMR on EKS has no application-level configuration: each job run brings its own ``spark-defaults``. Pure Python (no
aws_cdk), so a script that calls ``StartJobRun`` can import it.
"""

from __future__ import annotations

from typing import Any

from emr_constructs.core.iceberg import DEFAULT_ICEBERG_CATALOG, ICEBERG_RUNTIME_JAR_PATH, iceberg_catalog_properties

EKS_ICEBERG_RUNTIME_JAR = f"local://{ICEBERG_RUNTIME_JAR_PATH}"
"""The Iceberg runtime inside the EMR on EKS image (``local://``: a path in the container, not a download)."""


def iceberg_spark_properties(warehouse: str | None = None, *, catalog: str = DEFAULT_ICEBERG_CATALOG) -> dict[str, str]:
    """The ``spark-defaults`` of an Iceberg job on EMR on EKS: the runtime JAR and the same Glue-backed catalog
    settings as EMR on EC2's ``iceberg_configurations()`` and EMR Serverless's ``iceberg()``.

    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/tutorial-iceberg.html
    """
    return {"spark.jars": EKS_ICEBERG_RUNTIME_JAR, **iceberg_catalog_properties(warehouse, catalog=catalog)}


def iceberg_configuration_overrides(
    warehouse: str | None = None, *, catalog: str = DEFAULT_ICEBERG_CATALOG
) -> dict[str, Any]:
    """``configurationOverrides`` for an EMR on EKS ``StartJobRun`` with Iceberg: a ``spark-defaults``
    ``applicationConfiguration`` from :func:`iceberg_spark_properties`. Merge it with the request's
    ``monitoringConfiguration`` (e.g. from ``SparkJob.to_eks_start_job_run``).

    :param warehouse: ``s3://`` prefix for tables created without a location. Default: none.
    :param catalog: Default: ``glue_catalog``.
    """
    properties = iceberg_spark_properties(warehouse, catalog=catalog)
    return {"applicationConfiguration": [{"classification": "spark-defaults", "properties": properties}]}
