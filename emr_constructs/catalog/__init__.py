"""AWS Service Catalog: approved EMR platforms as products in a portfolio, launched with a least-privilege role.

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
    from emr_constructs.catalog.launch_role import LaunchRole as LaunchRole
    from emr_constructs.catalog.portfolio import EmrServiceCatalog as EmrServiceCatalog
