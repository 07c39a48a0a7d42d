"""Applications and configuration classifications of an EMR on EC2 cluster, as data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from aws_cdk import aws_emr as emr

from emr_constructs._internal.types import check_sequence_of, check_text
from emr_constructs._internal.validation import fail, is_token
from emr_constructs.core.iceberg import DEFAULT_ICEBERG_CATALOG, iceberg_catalog_properties
from emr_constructs.core.validation import check_mapping_of

KNOWN_APPLICATIONS = frozenset(
    {
        "AmazonCloudWatchAgent",
        "Delta",
        "Flink",
        "Ganglia",
        "HBase",
        "HCatalog",
        "Hadoop",
        "Hive",
        "Hudi",
        "Hue",
        "Iceberg",
        "JupyterEnterpriseGateway",
        "JupyterHub",
        "Livy",
        "MXNet",
        "Oozie",
        "Phoenix",
        "Pig",
        "Presto",
        "Spark",
        "Sqoop",
        "TensorFlow",
        "Tez",
        "Trino",
        "Zeppelin",
        "ZooKeeper",
    }
)
"""Application names EMR on EC2 accepts (ListReleaseLabels / DescribeReleaseLabel)."""


@dataclass(frozen=True)
class Application:
    """An application installed on the cluster. Use a constant or ``Application.of("Name")``."""

    name: str

    SPARK: ClassVar[Application]
    HADOOP: ClassVar[Application]
    HIVE: ClassVar[Application]
    HBASE: ClassVar[Application]
    TRINO: ClassVar[Application]
    PRESTO: ClassVar[Application]
    FLINK: ClassVar[Application]
    LIVY: ClassVar[Application]
    JUPYTER_ENTERPRISE_GATEWAY: ClassVar[Application]
    ZOOKEEPER: ClassVar[Application]
    TEZ: ClassVar[Application]
    HUE: ClassVar[Application]
    CLOUDWATCH_AGENT: ClassVar[Application]

    @classmethod
    def of(cls, name: str) -> Application:
        """Raise ``ValueError`` for names EMR does not know (the check is case-sensitive, as EMR's)."""
        if not is_token(name) and name not in KNOWN_APPLICATIONS:
            raise fail("applications", name, f"allowed applications: {', '.join(sorted(KNOWN_APPLICATIONS))}")
        return cls(name)

    def _render(self) -> emr.CfnCluster.ApplicationProperty:
        return emr.CfnCluster.ApplicationProperty(name=self.name)


for _const, _name in {
    "SPARK": "Spark",
    "HADOOP": "Hadoop",
    "HIVE": "Hive",
    "HBASE": "HBase",
    "TRINO": "Trino",
    "PRESTO": "Presto",
    "FLINK": "Flink",
    "LIVY": "Livy",
    "JUPYTER_ENTERPRISE_GATEWAY": "JupyterEnterpriseGateway",
    "ZOOKEEPER": "ZooKeeper",
    "TEZ": "Tez",
    "HUE": "Hue",
    "CLOUDWATCH_AGENT": "AmazonCloudWatchAgent",
}.items():
    setattr(Application, _const, Application(_name))


class Classification:
    """Common configuration classifications, as data. Any other classification string works too.

    See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-configure-apps.html
    """

    SPARK_DEFAULTS = "spark-defaults"
    SPARK_ENV = "spark-env"
    SPARK_HIVE_SITE = "spark-hive-site"
    HIVE_SITE = "hive-site"
    HADOOP_ENV = "hadoop-env"
    CORE_SITE = "core-site"
    YARN_SITE = "yarn-site"
    HDFS_SITE = "hdfs-site"
    EMRFS_SITE = "emrfs-site"
    ICEBERG_DEFAULTS = "iceberg-defaults"
    DELTA_DEFAULTS = "delta-defaults"
    TRINO_CONNECTOR_HIVE = "trino-connector-hive"
    LIVY_CONF = "livy-conf"
    EXPORT = "export"


@dataclass(frozen=True)
class Configuration:
    """A configuration classification (``spark-defaults``, ``hive-site``...), optionally nested.

    See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-configure-apps.html
    """

    classification: str
    properties: Mapping[str, str] = field(default_factory=dict)
    configurations: Sequence[Configuration] = ()

    def __post_init__(self) -> None:
        check_text("classification", self.classification, optional=False)
        check_mapping_of("properties", self.properties, str, str)
        check_sequence_of("configurations", self.configurations, Configuration)

    def _render(self) -> emr.CfnCluster.ConfigurationProperty:
        return emr.CfnCluster.ConfigurationProperty(
            classification=self.classification,
            configuration_properties=dict(self.properties) or None,
            configurations=[c._render() for c in self.configurations] or None,
        )


GLUE_CATALOG_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"


def glue_catalog_configurations() -> list[Configuration]:
    """Use the AWS Glue Data Catalog as the Hive and Spark metastore.

    See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-spark-glue.html
    """
    props = {"hive.metastore.client.factory.class": GLUE_CATALOG_FACTORY}
    return [Configuration(Classification.HIVE_SITE, props), Configuration(Classification.SPARK_HIVE_SITE, props)]


def iceberg_configurations(
    warehouse: str | None = None, *, catalog: str = DEFAULT_ICEBERG_CATALOG
) -> list[Configuration]:
    """Enable Apache Iceberg (``iceberg-defaults``) and define the Spark catalog ``catalog`` backed by Glue, with
    S3FileIO and the Iceberg SQL extensions (``spark-defaults``): the same catalog settings as EMR Serverless's
    ``iceberg()`` and EMR on EKS's ``iceberg_configuration_overrides()``.

    :param warehouse: ``s3://`` prefix for tables created without a location. Default: none.
    :param catalog: Default: ``glue_catalog``.
    See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-iceberg-use-spark-cluster.html
    """
    return [
        Configuration(Classification.ICEBERG_DEFAULTS, {"iceberg.enabled": "true"}),
        Configuration(Classification.SPARK_DEFAULTS, iceberg_catalog_properties(warehouse, catalog=catalog)),
    ]


def merge_configurations(configurations: Sequence[Configuration]) -> list[Configuration]:
    """Merge same-classification entries, keeping first-seen order.

    The same property given twice with the same value is fine; with different values it is a conflict (raised, not
    silently last-wins).
    """
    merged: dict[str, Configuration] = {}
    for conf in configurations:
        previous = merged.get(conf.classification)
        if previous is None:
            merged[conf.classification] = conf
        else:
            for key, value in conf.properties.items():
                if key in previous.properties and previous.properties[key] != value:
                    raise fail(
                        f"configurations[{conf.classification!r}][{key!r}]",
                        value,
                        f"conflicts with {previous.properties[key]!r} given for the same classification and key",
                    )
            merged[conf.classification] = Configuration(
                conf.classification,
                {**previous.properties, **conf.properties},
                (*previous.configurations, *conf.configurations),
            )
    return list(merged.values())
