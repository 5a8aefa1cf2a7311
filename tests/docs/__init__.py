"""The user guide in ``docs/`` runs as written."""
