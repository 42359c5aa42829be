"""The shutdown kit: an inventory of fine-tuned models and an archive of every job."""
