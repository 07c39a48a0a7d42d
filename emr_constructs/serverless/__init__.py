"""EMR Serverless: ``EmrServerlessApplication``, worker sizes and capacity.

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
    from emr_constructs.serverless.application import EmrServerlessApplication as EmrServerlessApplication
    from emr_constructs.serverless.application import InteractiveConfiguration as InteractiveConfiguration
    from emr_constructs.serverless.base import ApplicationBase as ApplicationBase
    from emr_constructs.serverless.guards import ApplicationLifecycleGuards as ApplicationLifecycleGuards
    from emr_constructs.serverless.guards import RunningJobsOnChange as RunningJobsOnChange
    from emr_constructs.serverless.runtime_configuration import glue_catalog as glue_catalog
    from emr_constructs.serverless.runtime_configuration import iceberg as iceberg
    from emr_constructs.serverless.runtime_configuration import (
        lake_formation_fine_grained_access as lake_formation_fine_grained_access,
    )
    from emr_constructs.serverless.runtime_configuration import render_configurations as render_configurations
    from emr_constructs.serverless.scheduler import SchedulerConfiguration as SchedulerConfiguration
    from emr_constructs.serverless.workers import ApplicationType as ApplicationType
    from emr_constructs.serverless.workers import Architecture as Architecture
    from emr_constructs.serverless.workers import DiskType as DiskType
    from emr_constructs.serverless.workers import InitialCapacity as InitialCapacity
    from emr_constructs.serverless.workers import MaximumCapacity as MaximumCapacity
    from emr_constructs.serverless.workers import WorkerConfiguration as WorkerConfiguration
    from emr_constructs.serverless.workers import WorkerType as WorkerType
