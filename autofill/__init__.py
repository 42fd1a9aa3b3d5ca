"""autofill: get wrongly removed Joom and AliExpress listings back.

Scans the seller's own Seller Center session for removed listings and their notices, checks appeal
bundles against the platform's rulepack, and prefills the official Appeal form for the human to
submit.
"""

__version__ = "0.1.0"
