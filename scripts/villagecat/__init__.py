"""villagecat: tools for the open catalogue of village-level duties, signs and certificates.

The library reads a working tree or a git tree into one :class:`~villagecat.model.Catalogue`;
validation, diffs, the site and the exports all consume that model.
"""

__version__ = "0.1.0"
