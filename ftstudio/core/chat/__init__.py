"""Chat with a model: streamed replies, conversations on disk, training examples from them."""
