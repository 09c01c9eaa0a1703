"""The report importer, data model and the TinyDB repository; knows nothing of Slack."""
