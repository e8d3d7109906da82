"""The demo server's `/models` catalogue: one entry per scenario, plus a few hundred
real-looking models that answer like `demo/auto`, in the shape OpenRouter's `GET /models` uses.
Made from a fixed table and a seeded generator, so it is the same on every run."""

from __future__ import annotations

import functools
import random
from typing import Any

_CHAT_PARAMETERS = ["max_tokens", "temperature", "top_p", "stop", "seed"]


def _per_token(per_million: float) -> str:
    """A price as OpenRouter writes it: USD per token, as short as it goes ("0" when free)."""
    return f"{per_million / 1e6:.12f}".rstrip("0").rstrip(".") or "0"


def _model(
    model_id: str,
    name: str,
    description: str,
    *,
    context_length: int = 128_000,
    prompt_per_million: float = 1.0,
    completion_per_million: float = 4.0,
    extra_parameters: tuple[str, ...] = (),
    images: bool = False,
) -> dict[str, Any]:
    inputs = ["text", "image"] if images else ["text"]
    return {
        "id": model_id,
        "canonical_slug": model_id,
        "name": name,
        "created": 1764547200,
        "description": description,
        "context_length": context_length,
        "architecture": {
            "modality": "text+image->text" if images else "text->text",
            "input_modalities": inputs,
            "output_modalities": ["text"],
            "tokenizer": "Other",
        },
        "pricing": {
            "prompt": _per_token(prompt_per_million),
            "completion": _per_token(completion_per_million),
            "request": "0",
            "image": "0",
            "internal_reasoning": "0",
        },
        "top_provider": {
            "context_length": context_length,
            "max_completion_tokens": 16384,
            "is_moderated": False,
        },
        "supported_parameters": [*_CHAT_PARAMETERS, *extra_parameters],
    }


_ALL_FEATURES = (
    "reasoning",
    "include_reasoning",
    "tools",
    "tool_choice",
    "response_format",
    "structured_outputs",
)

SCENARIO_MODELS: dict[str, str] = {
    "demo/auto": "Picks a scenario when your whole message names one: 'reasoning', 'tools', "
    "'json', 'error 429', 'drop', 'stall' or 'help'.",
    "demo/markdown": "A Markdown answer with headings, lists, a table and code blocks.",
    "demo/reasoning": "Thinks out loud first (reasoning tokens), then answers.",
    "demo/tools": "Asks for a tool call, then answers once the tool result comes back.",
    "demo/json": "Answers with JSON; follows the response_format schema when one is given.",
    "demo/error-401": "Fails with HTTP 401: the key is not valid.",
    "demo/error-402": "Fails with HTTP 402: out of credits.",
    "demo/error-429": "Fails with HTTP 429 and a Retry-After header.",
    "demo/error-500": "Fails with HTTP 500.",
    "demo/error-502": "Fails with HTTP 502: the provider returned an error.",
    "demo/error-503": "Fails with HTTP 503: no provider available.",
    "demo/error-midstream": "Starts answering, then the provider fails inside the stream.",
    "demo/error-choice": "Starts answering, then stops with an error inside the choice.",
    "demo/drop": "Starts answering, then the connection drops.",
    "demo/stall": "Starts answering, then goes silent.",
    "demo/not-json": "Starts answering, then sends a data line that is not JSON.",
    "demo/trickle": "Answers a word at a time, slowly, and finishes.",
    "demo/huge-chunk": "Sends a quarter-megabyte answer in a single event.",
    "demo/untrusted": "Answers with Rich markup and terminal escape sequences, which Rill must "
    "show as inert text.",
    "demo/html": "Answers 200 with an HTML page, like a captive portal or a proxy.",
}

LOOKALIKE_MODELS = [
    _model(
        "openai/gpt-4o-mini",
        "OpenAI: GPT-4o-mini",
        "Small, fast and cheap. In the demo it answers like demo/auto.",
        prompt_per_million=0.15,
        completion_per_million=0.6,
        extra_parameters=("tools", "tool_choice", "response_format", "structured_outputs"),
    ),
    _model(
        "anthropic/claude-sonnet-4.5",
        "Anthropic: Claude Sonnet 4.5",
        "Strong at code and long tasks. In the demo it answers like demo/auto.",
        context_length=1_000_000,
        prompt_per_million=3.0,
        completion_per_million=15.0,
        extra_parameters=("reasoning", "include_reasoning", "tools", "tool_choice"),
    ),
    _model(
        "google/gemini-2.5-flash",
        "Google: Gemini 2.5 Flash",
        "Fast multimodal model. In the demo it answers like demo/auto.",
        context_length=1_048_576,
        prompt_per_million=0.3,
        completion_per_million=2.5,
        extra_parameters=_ALL_FEATURES,
        images=True,
    ),
]


# provider slug, provider name, families: (slug, name, what it is good at, feature set,
# takes images, [variants]). Each variant becomes a model; sizes and dates make real-looking ids.
_REASONING = ("reasoning", "include_reasoning")
_TOOLS = ("tools", "tool_choice")
_STRUCTURED = ("response_format", "structured_outputs")
_FAMILIES: list[tuple[str, str, list[tuple[str, str, str, tuple[str, ...], bool, list[str]]]]] = [
    (
        "openai",
        "OpenAI",
        [
            (
                "gpt-4.1",
                "GPT-4.1",
                "a general model with long context",
                _TOOLS + _STRUCTURED,
                True,
                ["", "-mini", "-nano"],
            ),
            (
                "gpt-5",
                "GPT-5",
                "a frontier reasoning model",
                _REASONING + _TOOLS + _STRUCTURED,
                True,
                ["", "-mini", "-nano", "-chat", "-codex", "-pro"],
            ),
            (
                "gpt-5.1",
                "GPT-5.1",
                "the newest GPT, adaptive reasoning",
                _REASONING + _TOOLS + _STRUCTURED,
                True,
                ["", "-chat", "-codex", "-codex-mini"],
            ),
            (
                "o3",
                "o3",
                "a reasoning model for hard problems",
                _REASONING + _TOOLS + _STRUCTURED,
                True,
                ["", "-mini", "-pro", "-deep-research"],
            ),
            (
                "o4-mini",
                "o4 Mini",
                "a small reasoning model",
                _REASONING + _TOOLS,
                True,
                ["", "-high", "-deep-research"],
            ),
            (
                "gpt-oss",
                "gpt-oss",
                "an open-weight reasoning model",
                _REASONING + _TOOLS,
                False,
                ["-20b", "-120b", "-20b:free", "-120b:free"],
            ),
            (
                "gpt-4o",
                "GPT-4o",
                "a fast multimodal model",
                _TOOLS + _STRUCTURED,
                True,
                [
                    "",
                    "-2024-11-20",
                    "-2024-08-06",
                    ":extended",
                    "-search-preview",
                    "-mini-search-preview",
                ],
            ),
            (
                "gpt-3.5-turbo",
                "GPT-3.5 Turbo",
                "an older, cheap chat model",
                _TOOLS,
                False,
                ["", "-0613", "-16k", "-instruct"],
            ),
        ],
    ),
    (
        "anthropic",
        "Anthropic",
        [
            (
                "claude-opus-4",
                "Claude Opus 4",
                "Anthropic's most capable model",
                _REASONING + _TOOLS,
                True,
                ["", ".1", ".5"],
            ),
            (
                "claude-sonnet-4",
                "Claude Sonnet 4",
                "a balanced model for code and agents",
                _REASONING + _TOOLS,
                True,
                [""],
            ),
            (
                "claude-haiku-4.5",
                "Claude Haiku 4.5",
                "a fast, small Claude",
                _REASONING + _TOOLS,
                True,
                [""],
            ),
            (
                "claude-3.7-sonnet",
                "Claude 3.7 Sonnet",
                "hybrid reasoning",
                _REASONING + _TOOLS,
                True,
                ["", ":thinking"],
            ),
            (
                "claude-3.5-haiku",
                "Claude 3.5 Haiku",
                "fast and cheap",
                _TOOLS,
                True,
                ["", "-20241022"],
            ),
            ("claude-3-opus", "Claude 3 Opus", "an earlier flagship", _TOOLS, True, [""]),
        ],
    ),
    (
        "google",
        "Google",
        [
            (
                "gemini-2.5-pro",
                "Gemini 2.5 Pro",
                "a thinking model with huge context",
                _REASONING + _TOOLS + _STRUCTURED,
                True,
                ["", "-preview-06-05", "-preview-05-06"],
            ),
            (
                "gemini-2.5-flash-lite",
                "Gemini 2.5 Flash Lite",
                "the cheapest Gemini",
                _REASONING + _TOOLS + _STRUCTURED,
                True,
                ["", "-preview-09-2025"],
            ),
            (
                "gemini-2.0-flash",
                "Gemini 2.0 Flash",
                "fast multimodal",
                _TOOLS + _STRUCTURED,
                True,
                ["-001", "-lite-001", "-exp:free"],
            ),
            (
                "gemini-3-pro",
                "Gemini 3 Pro",
                "Google's newest frontier model",
                _REASONING + _TOOLS + _STRUCTURED,
                True,
                ["-preview", "-image-preview"],
            ),
            (
                "gemma-3",
                "Gemma 3",
                "open weights from Google",
                _STRUCTURED,
                True,
                [
                    "-4b-it",
                    "-12b-it",
                    "-27b-it",
                    "-4b-it:free",
                    "-12b-it:free",
                    "-27b-it:free",
                    "n-e4b-it",
                    "n-e2b-it:free",
                ],
            ),
        ],
    ),
    (
        "meta-llama",
        "Meta",
        [
            (
                "llama-4",
                "Llama 4",
                "a mixture-of-experts open model",
                _TOOLS + _STRUCTURED,
                True,
                ["-maverick", "-scout", "-maverick:free", "-scout:free"],
            ),
            (
                "llama-3.3",
                "Llama 3.3",
                "a strong open 70B",
                _TOOLS,
                False,
                ["-70b-instruct", "-70b-instruct:free", "-8b-instruct:free"],
            ),
            (
                "llama-3.2",
                "Llama 3.2",
                "small open models",
                (),
                True,
                [
                    "-1b-instruct",
                    "-3b-instruct",
                    "-11b-vision-instruct",
                    "-90b-vision-instruct",
                    "-3b-instruct:free",
                ],
            ),
            (
                "llama-3.1",
                "Llama 3.1",
                "open models from 8B to 405B",
                _TOOLS,
                False,
                [
                    "-8b-instruct",
                    "-70b-instruct",
                    "-405b-instruct",
                    "-405b",
                    "-405b-instruct:free",
                ],
            ),
            ("llama-guard-4", "Llama Guard 4", "a safety classifier", (), True, ["-12b"]),
        ],
    ),
    (
        "mistralai",
        "Mistral",
        [
            (
                "mistral-large",
                "Mistral Large",
                "Mistral's flagship",
                _TOOLS + _STRUCTURED,
                False,
                ["", "-2411", "-2407"],
            ),
            (
                "mistral-medium-3",
                "Mistral Medium 3",
                "frontier-class at a medium price",
                _TOOLS + _STRUCTURED,
                True,
                ["", ".1"],
            ),
            (
                "mistral-small",
                "Mistral Small",
                "a small, fast model",
                _TOOLS + _STRUCTURED,
                True,
                [
                    "-3.2-24b-instruct",
                    "-3.1-24b-instruct",
                    "-24b-instruct-2501",
                    "-3.2-24b-instruct:free",
                ],
            ),
            (
                "magistral",
                "Magistral",
                "Mistral's reasoning models",
                _REASONING + _TOOLS,
                False,
                ["-medium-2506", "-small-2506", "-medium-2506:thinking"],
            ),
            (
                "codestral",
                "Codestral",
                "a code model",
                _TOOLS + _STRUCTURED,
                False,
                ["-2508", "-2501"],
            ),
            (
                "devstral",
                "Devstral",
                "an agentic coding model",
                _TOOLS,
                False,
                ["-medium", "-small", "-small:free", "-small-2505"],
            ),
            ("ministral", "Ministral", "tiny models for the edge", _TOOLS, False, ["-8b", "-3b"]),
            ("pixtral", "Pixtral", "a vision model", _TOOLS, True, ["-large-2411", "-12b"]),
            (
                "mixtral",
                "Mixtral",
                "an early mixture of experts",
                _TOOLS,
                False,
                ["-8x7b-instruct", "-8x22b-instruct"],
            ),
        ],
    ),
    (
        "qwen",
        "Qwen",
        [
            (
                "qwen3",
                "Qwen3",
                "open models with a thinking mode",
                _REASONING + _TOOLS,
                False,
                [
                    "-235b-a22b",
                    "-235b-a22b-2507",
                    "-235b-a22b-thinking-2507",
                    "-30b-a3b",
                    "-30b-a3b-instruct-2507",
                    "-32b",
                    "-14b",
                    "-8b",
                    "-4b:free",
                    "-14b:free",
                    "-30b-a3b:free",
                    "-235b-a22b:free",
                ],
            ),
            (
                "qwen3-coder",
                "Qwen3 Coder",
                "a coding model",
                _TOOLS,
                False,
                ["", ":free", "-30b-a3b-instruct", "-plus", "-flash"],
            ),
            ("qwen3-max", "Qwen3 Max", "Qwen's largest model", _TOOLS + _STRUCTURED, False, [""]),
            (
                "qwen3-vl",
                "Qwen3 VL",
                "vision-language models",
                _REASONING + _TOOLS,
                True,
                [
                    "-235b-a22b-instruct",
                    "-235b-a22b-thinking",
                    "-30b-a3b-instruct",
                    "-8b-instruct",
                ],
            ),
            (
                "qwen-2.5",
                "Qwen2.5",
                "the previous generation",
                _TOOLS,
                False,
                [
                    "-72b-instruct",
                    "-7b-instruct",
                    "-72b-instruct:free",
                    "-coder-32b-instruct",
                    "-coder-32b-instruct:free",
                    "-vl-72b-instruct",
                ],
            ),
            (
                "qwq",
                "QwQ",
                "an early open reasoning model",
                _REASONING,
                False,
                ["-32b", "-32b:free"],
            ),
        ],
    ),
    (
        "deepseek",
        "DeepSeek",
        [
            (
                "deepseek-chat",
                "DeepSeek V3",
                "a strong open mixture of experts",
                _TOOLS,
                False,
                ["", "-v3.1", "-v3-0324", "-v3-0324:free", "-v3.1:free"],
            ),
            (
                "deepseek-r1",
                "DeepSeek R1",
                "an open reasoning model",
                _REASONING + _TOOLS,
                False,
                [
                    "",
                    "-0528",
                    ":free",
                    "-0528:free",
                    "-distill-llama-70b",
                    "-distill-qwen-32b",
                    "-distill-qwen-14b",
                    "-0528-qwen3-8b",
                ],
            ),
            (
                "deepseek-v3.2",
                "DeepSeek V3.2",
                "sparse attention, cheap long context",
                _REASONING + _TOOLS,
                False,
                ["-exp", ""],
            ),
            (
                "deepseek-prover",
                "DeepSeek Prover",
                "formal theorem proving",
                _REASONING,
                False,
                ["-v2"],
            ),
        ],
    ),
    (
        "x-ai",
        "xAI",
        [
            (
                "grok-4",
                "Grok 4",
                "xAI's reasoning flagship",
                _REASONING + _TOOLS + _STRUCTURED,
                True,
                ["", "-fast", "-fast:free"],
            ),
            (
                "grok-3",
                "Grok 3",
                "the previous Grok",
                _TOOLS + _STRUCTURED,
                False,
                ["", "-mini", "-beta", "-mini-beta"],
            ),
            ("grok-2", "Grok 2", "an older Grok", _TOOLS, True, ["-1212", "-vision-1212"]),
            (
                "grok-code-fast-1",
                "Grok Code Fast 1",
                "a fast coding model",
                _REASONING + _TOOLS,
                False,
                [""],
            ),
        ],
    ),
    (
        "cohere",
        "Cohere",
        [
            ("command-a", "Command A", "for enterprise agents", _TOOLS + _STRUCTURED, False, [""]),
            (
                "command-r",
                "Command R",
                "retrieval-augmented generation",
                _TOOLS,
                False,
                ["-plus-08-2024", "-08-2024", "7b-12-2024"],
            ),
        ],
    ),
    (
        "nvidia",
        "NVIDIA",
        [
            (
                "llama-3.1-nemotron",
                "Llama 3.1 Nemotron",
                "tuned for helpfulness",
                _TOOLS,
                False,
                ["-70b-instruct", "-ultra-253b-v1", "-ultra-253b-v1:free"],
            ),
            (
                "nemotron-nano",
                "Nemotron Nano",
                "small reasoning models",
                _REASONING + _TOOLS,
                False,
                ["-9b-v2", "-9b-v2:free", "-12b-v2-vl"],
            ),
        ],
    ),
    (
        "microsoft",
        "Microsoft",
        [
            (
                "phi-4",
                "Phi 4",
                "small models that reason well",
                (),
                False,
                ["", "-reasoning-plus", "-multimodal-instruct", "-mini-instruct"],
            ),
            (
                "mai-ds-r1",
                "MAI DS R1",
                "a post-trained DeepSeek R1",
                _REASONING,
                False,
                ["", ":free"],
            ),
            ("wizardlm-2", "WizardLM-2", "an older open chat model", (), False, ["-8x22b"]),
        ],
    ),
    (
        "amazon",
        "Amazon",
        [
            (
                "nova",
                "Nova",
                "Amazon's models on Bedrock",
                _TOOLS,
                True,
                ["-pro-v1", "-lite-v1", "-micro-v1", "-premier-v1"],
            ),
        ],
    ),
    (
        "perplexity",
        "Perplexity",
        [
            (
                "sonar",
                "Sonar",
                "answers with web search",
                (),
                True,
                ["", "-pro", "-reasoning", "-reasoning-pro", "-deep-research"],
            ),
        ],
    ),
    (
        "moonshotai",
        "MoonshotAI",
        [
            (
                "kimi-k2",
                "Kimi K2",
                "an agentic open model",
                _TOOLS + _STRUCTURED,
                False,
                ["", "-0905", ":free", "-thinking"],
            ),
            (
                "kimi-dev",
                "Kimi Dev",
                "a software engineering model",
                _TOOLS,
                False,
                ["-72b", "-72b:free"],
            ),
        ],
    ),
    (
        "z-ai",
        "Z.AI",
        [
            ("glm-4.6", "GLM 4.6", "an agentic coding model", _REASONING + _TOOLS, False, [""]),
            (
                "glm-4.5",
                "GLM 4.5",
                "hybrid reasoning",
                _REASONING + _TOOLS,
                True,
                ["", "-air", "-air:free", "v"],
            ),
            ("glm-4", "GLM 4", "the previous GLM", _TOOLS, False, ["-32b", "-9b"]),
        ],
    ),
    (
        "minimax",
        "MiniMax",
        [
            (
                "minimax-m2",
                "MiniMax M2",
                "efficient coding and agents",
                _REASONING + _TOOLS,
                False,
                ["", ":free"],
            ),
            (
                "minimax-m1",
                "MiniMax M1",
                "a long-context reasoner",
                _REASONING + _TOOLS,
                False,
                ["", "-extended"],
            ),
            ("minimax-01", "MiniMax-01", "four-million-token context", (), True, [""]),
        ],
    ),
    (
        "ai21",
        "AI21",
        [
            (
                "jamba",
                "Jamba",
                "a hybrid SSM-transformer",
                _TOOLS,
                False,
                ["-large-1.7", "-mini-1.7"],
            ),
        ],
    ),
    (
        "nousresearch",
        "Nous",
        [
            (
                "hermes-4",
                "Hermes 4",
                "a steerable open model",
                _REASONING + _TOOLS,
                False,
                ["-405b", "-70b"],
            ),
            (
                "hermes-3-llama-3.1",
                "Hermes 3",
                "an uncensored assistant",
                _TOOLS,
                False,
                ["-405b", "-70b", "-405b:free"],
            ),
            (
                "deephermes-3",
                "DeepHermes 3",
                "reasoning on demand",
                _REASONING,
                False,
                ["-mistral-24b-preview", "-llama-3-8b-preview:free"],
            ),
        ],
    ),
    (
        "liquid",
        "Liquid",
        [
            (
                "lfm",
                "LFM",
                "liquid foundation models",
                (),
                False,
                ["-7b", "-3b", "-2-8b-a1b", "-40b"],
            ),
        ],
    ),
    (
        "ibm-granite",
        "IBM",
        [
            (
                "granite-4.0",
                "Granite 4.0",
                "small enterprise models",
                _TOOLS,
                False,
                ["-h-micro", "-h-tiny", "-h-small"],
            ),
        ],
    ),
    (
        "baidu",
        "Baidu",
        [
            (
                "ernie-4.5",
                "ERNIE 4.5",
                "Baidu's open models",
                _REASONING,
                True,
                ["-300b-a47b", "-21b-a3b", "-vl-424b-a47b", "-21b-a3b-thinking", "-vl-28b-a3b"],
            ),
        ],
    ),
    (
        "tencent",
        "Tencent",
        [
            (
                "hunyuan",
                "Hunyuan",
                "Tencent's mixture of experts",
                _REASONING,
                False,
                ["-a13b-instruct", "-a13b-instruct:free"],
            ),
        ],
    ),
    (
        "thudm",
        "THUDM",
        [
            (
                "glm-z1",
                "GLM Z1",
                "a reasoning GLM",
                _REASONING,
                False,
                ["-32b", "-rumination-32b"],
            ),
        ],
    ),
    (
        "allenai",
        "AllenAI",
        [
            ("olmo-2", "OLMo 2", "fully open models", (), False, ["-0325-32b-instruct"]),
            ("molmo", "Molmo", "an open vision model", (), True, ["-7b-d"]),
            (
                "olmo-3",
                "OLMo 3",
                "fully open, with thinking",
                _REASONING,
                False,
                ["-7b-think", "-32b-think", "-7b-instruct"],
            ),
        ],
    ),
    (
        "sao10k",
        "Sao10K",
        [
            ("l3.3-euryale", "Euryale", "a role-play tune", (), False, ["-70b"]),
            ("l3.1-euryale", "Euryale 3.1", "a role-play tune", (), False, ["-70b"]),
            ("l3-lunaris", "Lunaris", "a role-play tune", (), False, ["-8b"]),
        ],
    ),
    (
        "thedrummer",
        "TheDrummer",
        [
            (
                "anubis",
                "Anubis",
                "a creative-writing tune",
                (),
                False,
                ["-70b-v1.1", "-pro-105b-v1"],
            ),
            ("rocinante", "Rocinante", "a storytelling tune", (), False, ["-12b"]),
            ("unslopnemo", "UnslopNemo", "less purple prose", (), False, ["-12b"]),
            ("cydonia", "Cydonia", "a creative-writing tune", (), False, ["-24b-v4.1"]),
        ],
    ),
    (
        "arcee-ai",
        "Arcee",
        [
            ("virtuoso", "Virtuoso", "a distilled generalist", _TOOLS, False, ["-large"]),
            ("coder", "Coder", "a small coding model", _TOOLS, False, ["-large"]),
            ("maestro", "Maestro", "a reasoning model", _REASONING, False, ["-reasoning"]),
            ("afm-4.5b", "AFM 4.5B", "a tiny generalist", (), False, ["", ":free"]),
        ],
    ),
    (
        "inception",
        "Inception",
        [
            ("mercury", "Mercury", "a diffusion language model", _TOOLS, False, ["", "-coder"]),
        ],
    ),
    (
        "cognitivecomputations",
        "Dolphin",
        [
            (
                "dolphin3.0",
                "Dolphin 3.0",
                "an uncensored generalist",
                (),
                False,
                ["-mistral-24b", "-mistral-24b:free", "-r1-mistral-24b", "-r1-mistral-24b:free"],
            ),
            ("dolphin-mixtral", "Dolphin Mixtral", "an uncensored mixture", (), False, ["-8x22b"]),
        ],
    ),
    (
        "neversleep",
        "NeverSleep",
        [
            ("llama-3.1-lumimaid", "Lumimaid", "a role-play tune", (), False, ["-8b", "-70b"]),
            ("noromaid", "Noromaid", "a role-play tune", (), False, ["-20b"]),
        ],
    ),
    (
        "gryphe",
        "Gryphe",
        [
            ("mythomax-l2", "MythoMax", "a classic story model", (), False, ["-13b"]),
        ],
    ),
    (
        "alpindale",
        "Alpindale",
        [
            ("goliath", "Goliath", "a merged 120B", (), False, ["-120b"]),
            ("magnum", "Magnum", "a prose-focused tune", (), False, ["-72b"]),
        ],
    ),
    (
        "eva-unit-01",
        "EVA",
        [
            ("eva-qwen-2.5", "EVA Qwen2.5", "a role-play tune", (), False, ["-72b", "-32b"]),
            ("eva-llama-3.33", "EVA Llama 3.33", "a role-play tune", (), False, ["-70b"]),
        ],
    ),
    (
        "bytedance",
        "ByteDance",
        [
            (
                "seed-oss",
                "Seed OSS",
                "open reasoning from ByteDance",
                _REASONING + _TOOLS,
                False,
                ["-36b-instruct"],
            ),
            ("ui-tars", "UI-TARS", "a computer-use model", (), True, ["-1.5-7b"]),
        ],
    ),
    (
        "stepfun-ai",
        "StepFun",
        [
            ("step3", "Step3", "a multimodal reasoner", _REASONING + _TOOLS, True, [""]),
        ],
    ),
    (
        "meituan",
        "Meituan",
        [
            (
                "longcat-flash-chat",
                "LongCat Flash",
                "a fast mixture of experts",
                _TOOLS,
                False,
                ["", ":free"],
            ),
        ],
    ),
    (
        "inflection",
        "Inflection",
        [
            (
                "inflection-3",
                "Inflection 3",
                "emotionally intelligent chat",
                (),
                False,
                ["-pi", "-productivity"],
            ),
        ],
    ),
    (
        "aion-labs",
        "AionLabs",
        [
            (
                "aion",
                "Aion",
                "reasoning and role-play",
                _REASONING,
                False,
                ["-1.0", "-1.0-mini", "-rp-llama-3.1-8b"],
            ),
        ],
    ),
    (
        "deepcogito",
        "Deep Cogito",
        [
            (
                "cogito-v2-preview",
                "Cogito v2",
                "hybrid reasoning",
                _REASONING + _TOOLS,
                True,
                ["-llama-405b", "-llama-109b-moe", "-deepseek-671b", "-llama-70b"],
            ),
        ],
    ),
    (
        "shisa-ai",
        "Shisa",
        [
            (
                "shisa-v2-llama3.3",
                "Shisa V2",
                "Japanese and English",
                (),
                False,
                ["-70b", "-70b:free"],
            ),
        ],
    ),
    (
        "tngtech",
        "TNG",
        [
            (
                "deepseek-r1t2-chimera",
                "DeepSeek R1T2 Chimera",
                "a merged reasoner",
                _REASONING,
                False,
                ["", ":free"],
            ),
            (
                "deepseek-r1t-chimera",
                "DeepSeek R1T Chimera",
                "a merged reasoner",
                _REASONING,
                False,
                ["", ":free"],
            ),
        ],
    ),
    (
        "openrouter",
        "OpenRouter",
        [
            (
                "auto",
                "Auto Router",
                "picks a model for each prompt",
                _REASONING + _TOOLS,
                True,
                [""],
            ),
        ],
    ),
]
_CONTEXTS = [
    8_192,
    32_768,
    65_536,
    128_000,
    131_072,
    163_840,
    200_000,
    262_144,
    400_000,
    1_000_000,
    1_048_576,
]


@functools.cache
def _lookalikes() -> tuple[dict[str, Any], ...]:
    rng = random.Random(20251125)
    hand_made = {entry["id"] for entry in LOOKALIKE_MODELS}
    models: list[dict[str, Any]] = []
    for provider, provider_name, families in _FAMILIES:
        for slug, name, good_at, features, images, variants in families:
            # A family shares a price tier and a context length; its variants vary a little.
            tier = rng.choice([0.05, 0.1, 0.15, 0.3, 0.5, 0.8, 1.25, 2.0, 3.0, 5.0, 15.0])
            family_context = rng.choice(_CONTEXTS)
            for variant in variants:
                model_id = f"{provider}/{slug}{variant}"
                if model_id in hand_made:
                    continue
                free = variant.endswith(":free")
                label = variant.removesuffix(":free").strip("-:").replace("-", " ")
                title = f"{provider_name}: {name}{' ' + label.title() if label else ''}"
                small = any(
                    word in variant
                    for word in ("mini", "nano", "lite", "small", "8b", "4b", "3b", "1b", "flash")
                )
                prompt = (
                    0.0
                    if free
                    else round(tier * (0.2 if small else 1.0) * rng.uniform(0.8, 1.2), 2) or 0.01
                )
                models.append(
                    _model(
                        model_id,
                        title + (" (free)" if free else ""),
                        f"{name} from {provider_name}: {good_at}. In the demo it answers like "
                        "demo/auto.",
                        context_length=family_context,
                        prompt_per_million=prompt,
                        completion_per_million=round(prompt * rng.choice([2, 3, 4, 5, 8]), 2),
                        extra_parameters=features,
                        images=images,
                    )
                )
    return tuple(models)


@functools.cache
def _catalogue() -> tuple[dict[str, Any], ...]:
    scenario_entries = [
        _model(
            model_id,
            f"Rill Demo: {model_id.removeprefix('demo/')}",
            description,
            extra_parameters=_ALL_FEATURES,
        )
        for model_id, description in SCENARIO_MODELS.items()
    ]
    return (*scenario_entries, *LOOKALIKE_MODELS, *_lookalikes())


def catalogue() -> list[dict[str, Any]]:
    """The catalogue, a fresh copy (callers may change it)."""
    import copy

    return copy.deepcopy(list(_catalogue()))


@functools.cache
def _prices() -> dict[str, tuple[float, float]]:
    return {
        entry["id"]: (float(entry["pricing"]["prompt"]), float(entry["pricing"]["completion"]))
        for entry in _catalogue()
    }


def known_ids() -> frozenset[str]:
    return frozenset(_prices())


def prices(model_id: str) -> tuple[float, float]:
    """USD per prompt token and per completion token."""
    return _prices().get(model_id, (1e-6, 4e-6))
