"""The socket.io channel of the assistant, with one fix to Rasa 3.6 (runs inside the Rasa server).

Rasa 3.6's socket.io output sends a custom payload by spreading it as keyword arguments of
`AsyncServer.emit`, so any payload with its own keys (ours: intake_step, progress) raises a
TypeError and the whole turn is lost. Here a custom payload is sent like the REST channel does:
`{"custom": {...}}` in the bot message event. Configured in bot/credentials.yml.
"""

from __future__ import annotations

from typing import Any, Dict

from rasa.core.channels import socketio as rasa_socketio

from . import rasa_patches  # noqa: F401  (faster action-result validation)


class LekstroomSocketIOOutput(rasa_socketio.SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class LekstroomSocketIOInput(rasa_socketio.SocketIOInput):
    """Rasa's socket.io input (same events, path and session handling) with the fixed output."""

    def get_output_channel(self) -> LekstroomSocketIOOutput | None:  # type: ignore[override]
        if self.sio is None:
            return None
        return LekstroomSocketIOOutput(self.sio, self.bot_message_evt)


# SocketIOInput.blueprint builds its output channel from this module global; point it at ours.
rasa_socketio.SocketIOOutput = LekstroomSocketIOOutput  # type: ignore[misc]
