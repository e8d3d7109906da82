"""The rules of the tool loop, shared by the chat screen and `rill ask --tools`: when a reply
asks for tools, what each decision sends back, and how many rounds one prompt may take."""

from __future__ import annotations

from rillchat.chat.conversation import Conversation, Decision, Message, MessageStatus

DECISION_RESULTS: dict[Decision, str] = {
    Decision.DENIED: (
        "The user denied this tool call. Do not call it again unless they ask; "
        "go on with what you have, or ask them."
    ),
    Decision.STOPPED: "The user stopped this tool call before it finished.",
}


def not_run_result(max_rounds: int) -> str:
    rounds = f"{max_rounds} round{'s' if max_rounds != 1 else ''}"
    return (
        f"Not run: Rill allows {rounds} of tool calls for one prompt, and they were used "
        "up. Answer with what you have."
    )


def wants_tools(message: Message) -> bool:
    """The reply ended asking for tools (and not because it failed or was stopped)."""
    return (
        message.role == "assistant"
        and message.status is MessageStatus.COMPLETE
        and bool(message.tool_calls)
        and message.finish_reason == "tool_calls"
    )


def rounds_since_prompt(conversation: Conversation) -> int:
    """Replies that asked for tools since the user last wrote."""
    rounds = 0
    for message in reversed(conversation.messages):
        if message.role == "user":
            break
        if message.role == "assistant" and message.tool_calls:
            rounds += 1
    return rounds


def results_for_unanswered(
    conversation: Conversation, reply: Message, decision: Decision, content: str
) -> list[Message]:
    """An error result for each call of `reply` that has none yet, saying `content`."""
    names = {call.call_id: call.name for call in reply.tool_calls}
    return [
        Message.tool_result(
            call_id, content, is_error=True, name=names.get(call_id), decision=decision
        )
        for call_id in unanswered_calls(conversation)
    ]


def unanswered_calls(conversation: Conversation) -> list[str]:
    """Ids of tool calls in the last reply with no result yet (the API refuses a history
    where a call has none)."""
    messages = conversation.messages
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if message.role == "assistant":
            answered = {
                part.tool_call_id
                for later in messages[index + 1 :]
                if (part := later.tool_result_part) is not None
            }
            return [call.call_id for call in message.tool_calls if call.call_id not in answered]
        if message.role == "user":
            return []
    return []
