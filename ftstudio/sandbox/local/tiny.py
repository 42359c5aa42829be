"""Build a tiny random chat model on disk: for rehearsal, tests and benches (no download).

The model is a real Hugging Face model folder (config, safetensors weights, a fast
tokenizer trained on the given texts, a chat template), so everything that loads
a downloaded model loads it the same way. ``shape="llama"`` gives a 2-layer Llama
with a ChatML template; ``shape="gpt-oss"`` gives a 2-layer ``GptOss`` mixture of
experts with a Harmony-style template, the shape of OpenAI's open-weight models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# Harmony's shape (OpenAI's gpt-oss format), reduced to what training needs: the
# final channel of the assistant, its optional "thinking" as the analysis channel.
HARMONY = (
    "{% for m in messages %}"
    "{% if m['role'] == 'assistant' %}"
    "{% if m.get('thinking') %}<|start|>assistant<|channel|>analysis<|message|>"
    "{{ m['thinking'] }}<|end|>{% endif %}"
    "<|start|>assistant<|channel|>final<|message|>{{ m['content'] }}"
    "{% if loop.last %}<|return|>{% else %}<|end|>{% endif %}"
    "{% else %}<|start|>{{ m['role'] }}<|message|>{{ m['content'] }}<|end|>{% endif %}"
    "{% endfor %}{% if add_generation_prompt %}<|start|>assistant{% endif %}"
)
_SPECIAL = {
    "llama": ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
    "gpt-oss": [
        "<|endoftext|>",
        "<|start|>",
        "<|message|>",
        "<|end|>",
        "<|return|>",
        "<|channel|>",
    ],
}
_EOS = {"llama": "<|im_end|>", "gpt-oss": "<|return|>"}


def _tokenizer(texts: list[str], shape: str, vocab: int) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    special = _SPECIAL[shape]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab,
        special_tokens=special,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    roles = "system user assistant developer tool analysis final\n"
    tok.train_from_iterator([*texts, roles], trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token=_EOS[shape],
        pad_token="<|endoftext|>",
        additional_special_tokens=[s for s in special if s != "<|endoftext|>"],
    )
    fast.chat_template = CHATML if shape == "llama" else HARMONY
    return fast


def _config(shape: str, tokenizer: Any, hidden: int, layers: int) -> Any:
    common: dict[str, Any] = {
        "vocab_size": len(tokenizer),
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "pad_token_id": tokenizer.pad_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "bos_token_id": None,
        "tie_word_embeddings": False,
    }
    if shape == "llama":
        from transformers import LlamaConfig

        return LlamaConfig(
            intermediate_size=hidden * 2, max_position_embeddings=512, **common
        )
    from transformers import GptOssConfig

    return GptOssConfig(
        intermediate_size=hidden * 2,
        num_local_experts=4,
        num_experts_per_tok=2,
        head_dim=hidden // 4,
        sliding_window=128,
        layer_types=["sliding_attention", "full_attention"] * (layers // 2)
        + ["sliding_attention"] * (layers % 2),
        **common,
    )


def make_tiny_model(
    folder: Path,
    texts: list[str],
    *,
    shape: str = "llama",
    hidden: int = 64,
    layers: int = 2,
    vocab: int = 512,
    seed: int = 0,
) -> Path:
    """Write a tiny random chat model into ``folder`` and return it.

    Parameters
    ----------
    folder
        Where the model folder is written (created if needed).
    texts
        Texts the tokenizer learns its vocabulary from (the training texts).
    shape
        ``"llama"`` or ``"gpt-oss"``.
    hidden, layers, vocab
        Size of the model: width, depth and the most tokens in the vocabulary.
    seed
        Seed of the random weights.
    """
    import torch
    from transformers import AutoModelForCausalLM

    if shape not in _SPECIAL:
        msg = f"unknown model shape {shape!r}: use 'llama' or 'gpt-oss'"
        raise ValueError(msg)
    tokenizer = _tokenizer(texts, shape, vocab)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(_config(shape, tokenizer, hidden, layers))
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
