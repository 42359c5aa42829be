"""The launcher tab: choose files, model and settings, check, upload and start a job."""
