"""The services ftstudio can train with, as presets over one OpenAI-shaped client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

OPENAI_JOBS_END = date(2027, 1, 6)
"""The last day OpenAI accepts new fine-tuning jobs (announced closure)."""


@dataclass(frozen=True)
class Provider:
    """What one service needs and allows: URL shape, key header, names, limits.

    Attributes
    ----------
    name
        The name used on the command line and in ``FTSTUDIO_PROVIDER``.
    label
        The name shown to people.
    default_base_url
        The base URL when none is configured (empty: the user must give one).
    url_env, key_env
        Environment variables read for the base URL and the key.
    key_header
        ``"Authorization"`` (sent as ``Bearer KEY``) or ``"api-key"``.
    max_suffix
        The longest model-name suffix the service accepts.
    methods
        The training methods the service offers through the jobs API.
    job_fields
        Extra job fields the service reads, with what each does.
    chat_needs_deployment
        Whether a fine-tuned model must be deployed before it answers.
    jobs_end
        The last day new jobs are accepted, when the service announced one.
    cannot
        What the service does not do, in plain words.
    """

    name: str
    label: str
    default_base_url: str
    url_env: str
    key_env: str
    key_header: str = "Authorization"
    max_suffix: int = 64
    methods: tuple[str, ...] = ("supervised",)
    job_fields: dict[str, str] = field(default_factory=dict)
    chat_needs_deployment: bool = False
    jobs_end: date | None = None
    cannot: tuple[str, ...] = ()
    notes: str = ""

    def days_left(self, today: date | None = None) -> int | None:
        """Return the days until new jobs stop (0 on the last day), or None."""
        if self.jobs_end is None:
            return None
        return (self.jobs_end - (today or date.today())).days

    def status_line(self, today: date | None = None) -> str:
        """Return one line for the window and ``--help``: closing dates first."""
        left = self.days_left(today)
        if left is None:
            return self.notes
        end = self.jobs_end.isoformat() if self.jobs_end else ""
        if left < 0:
            return f"Closed: job creation ended {end}. Archive your work (ftstudio archive)."
        return f"Closing: job creation ends {end} ({left} day{'s' if left != 1 else ''} left)."


OPENAI = Provider(
    name="openai",
    label="OpenAI",
    default_base_url="https://api.openai.com/v1",
    url_env="OPENAI_BASE_URL",
    key_env="OPENAI_API_KEY",
    methods=("supervised", "dpo", "reinforcement"),
    jobs_end=OPENAI_JOBS_END,
    notes="OpenAI's fine-tuning API.",
)

AZURE = Provider(
    name="azure",
    label="Azure OpenAI (Microsoft Foundry)",
    default_base_url="",
    url_env="AZURE_OPENAI_ENDPOINT",
    key_env="AZURE_OPENAI_API_KEY",
    key_header="api-key",
    max_suffix=18,
    methods=("supervised", "dpo", "reinforcement"),
    job_fields={
        "trainingType": "Standard (in the resource's region), GlobalStandard "
        "(any region, cheaper) or developerTier (cheapest, no data-residency promise)"
    },
    chat_needs_deployment=True,
    cannot=(
        "chat with a fine-tuned model before it is deployed (deployments are billed by the hour)",
    ),
    notes="Microsoft Foundry speaks OpenAI's v1 API at https://<resource>.openai.azure.com/openai/v1/.",
)

NEBIUS = Provider(
    name="nebius",
    label="Nebius Token Factory",
    default_base_url="https://api.tokenfactory.nebius.com/v1",
    url_env="NEBIUS_BASE_URL",
    key_env="NEBIUS_API_KEY",
    methods=("supervised",),
    job_fields={
        "lora": "train a LoRA adapter instead of every weight (true/false)",
        "lora_r": "the adapter's rank",
        "lora_alpha": "the adapter's scaling",
        "lora_dropout": "dropout on the adapter (0 to 1)",
    },
    cannot=("DPO or reinforcement fine-tuning through this API", "OpenAI's own models"),
    notes="Open models (Llama, Qwen, gpt-oss…) through the same jobs API.",
)

LOCAL = Provider(
    name="local",
    label="This computer (ftstudio serve --trainer local)",
    default_base_url="http://127.0.0.1:8765/v1",
    url_env="OPENAI_BASE_URL",
    key_env="OPENAI_API_KEY",
    methods=("supervised", "dpo"),
    job_fields={
        "lora": "train a LoRA adapter (true, the default) or every weight (false)",
        "lora_r": "the adapter's rank (1 to 256; 16 by default)",
        "lora_alpha": "the adapter's scale (1 to 512; twice the rank by default)",
    },
    cannot=("models that do not fit this computer's memory",),
    notes="Real training on this computer's GPU or CPU.",
)

SANDBOX = Provider(
    name="sandbox",
    label="Offline sandbox (ftstudio sandbox)",
    default_base_url="http://127.0.0.1:8765/v1",
    url_env="OPENAI_BASE_URL",
    key_env="OPENAI_API_KEY",
    methods=("supervised", "dpo"),
    cannot=("learn anything: training is simulated, for rehearsal",),
    notes="A rehearsal service on this computer; nothing is sent anywhere.",
)

PROVIDERS: dict[str, Provider] = {
    p.name: p for p in (OPENAI, AZURE, NEBIUS, LOCAL, SANDBOX)
}
"""Every preset by name, in the order pickers show them."""
