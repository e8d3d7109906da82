from rillchat.chat.assembler import ReplyAssembler
from rillchat.chat.replay import events_from_message
from tests.unit.test_store import full_conversation


def test_replayed_events_fold_back_into_the_same_reply():
    """Every part the stream made comes back; errors and the schema asked for are the
    message's own, read when the reply is drawn."""
    for message in full_conversation().messages:
        if message.role != "assistant":
            continue
        assembler = ReplyAssembler()
        for event in events_from_message(message):
            assembler.apply(event)
        rebuilt = assembler.message
        assert rebuilt.parts == [
            part
            for part in message.parts
            if type(part).__name__ not in ("ErrorPart", "StructuredPart")
        ]
        assert (rebuilt.usage, rebuilt.model, rebuilt.provider) == (
            message.usage,
            message.model,
            message.provider,
        )
