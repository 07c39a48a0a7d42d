"""EMR Studio: ``EmrStudio``, its auth modes and IAM Identity Center session mappings.

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
    from emr_constructs.studio.studio import EmrStudio as EmrStudio
    from emr_constructs.studio.studio import IdentityType as IdentityType
    from emr_constructs.studio.studio import StudioAuthMode as StudioAuthMode
    from emr_constructs.studio.studio import StudioSessionMapping as StudioSessionMapping
