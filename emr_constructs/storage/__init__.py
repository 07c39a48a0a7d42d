"""The one place that makes secure buckets, KMS keys and log groups.

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
    from emr_constructs.storage.glue_database import GlueDatabase as GlueDatabase
    from emr_constructs.storage.secure import DEFAULT_LOG_RETENTION as DEFAULT_LOG_RETENTION
    from emr_constructs.storage.secure import EncryptionKey as EncryptionKey
    from emr_constructs.storage.secure import SecureBucket as SecureBucket
    from emr_constructs.storage.secure import SecureLogGroup as SecureLogGroup
    from emr_constructs.storage.secure import allow_cloudwatch_logs as allow_cloudwatch_logs
    from emr_constructs.storage.secure import retention_days as retention_days
