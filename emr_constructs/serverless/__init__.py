"""EMR Serverless: ``EmrServerlessApplication``, worker sizes and capacity."""

from emr_constructs.serverless.application import ApplicationBase, EmrServerlessApplication, InteractiveConfiguration
from emr_constructs.serverless.workers import (
    ApplicationType,
    Architecture,
    DiskType,
    InitialCapacity,
    MaximumCapacity,
    WorkerConfiguration,
    WorkerType,
)

__all__ = [
    "ApplicationBase",
    "ApplicationType",
    "Architecture",
    "DiskType",
    "EmrServerlessApplication",
    "InitialCapacity",
    "InteractiveConfiguration",
    "MaximumCapacity",
    "WorkerConfiguration",
    "WorkerType",
]
