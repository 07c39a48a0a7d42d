"""The one place that makes secure buckets, KMS keys and log groups."""

from emr_constructs.storage.secure import (
    DEFAULT_LOG_RETENTION,
    EncryptionKey,
    SecureBucket,
    SecureLogGroup,
    retention_days,
)

__all__ = ["DEFAULT_LOG_RETENTION", "EncryptionKey", "SecureBucket", "SecureLogGroup", "retention_days"]
