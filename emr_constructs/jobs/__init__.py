"""Jobs: the portable ``SparkJob`` spec and its renderers (pure Python).

The Step Functions pipeline construct lives in ``emr_constructs.jobs.pipeline`` (it imports aws_cdk).

The names come from ``emr_constructs._EXPORTS`` (the one list of the public surface) and load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emr_constructs import _EXPORTS as _LIBRARY_EXPORTS
from emr_constructs._internal.exports import exports_under, lazy_attributes

_EXPORTS = exports_under(_LIBRARY_EXPORTS, __name__)
__all__ = list(_EXPORTS)

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_attributes(__name__, _EXPORTS)

if TYPE_CHECKING:
    from emr_constructs.jobs.airflow import AirflowDagOptions as AirflowDagOptions
    from emr_constructs.jobs.airflow import ec2_airflow_dag as ec2_airflow_dag
    from emr_constructs.jobs.airflow import eks_airflow_dag as eks_airflow_dag
    from emr_constructs.jobs.airflow import serverless_airflow_dag as serverless_airflow_dag
    from emr_constructs.jobs.pipeline import SparkPipeline as SparkPipeline
    from emr_constructs.jobs.spec import SparkJob as SparkJob
    from emr_constructs.jobs.targets import PipelineTarget as PipelineTarget
    from emr_constructs.jobs.targets import TransientCluster as TransientCluster
    from emr_constructs.jobs.targets import local_entry_point as local_entry_point
