"""The offline sandbox: an OpenAI-compatible fine-tuning service on 127.0.0.1."""
