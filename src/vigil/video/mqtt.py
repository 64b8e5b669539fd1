"""An MQTT subscriber for NVR events (Frigate's `frigate/events`), with paho-mqtt.

At-least-once: the subscription is QoS 1 and a message is acknowledged only after its
handler returned (the handler's unit of work committed), so a crash redelivers it and the
idempotent store makes the second delivery change nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt

DEFAULT_TOPIC = "frigate/events"


@dataclass
class MqttSubscriber:
    host: str = "127.0.0.1"
    port: int = 1883
    topic: str = DEFAULT_TOPIC
    client_id: str = ""
    username: str | None = None
    password: str | None = None
    qos: int = 1
    # a persistent session (with a stable client id) keeps the QoS 1 messages that arrive
    # while the listener is down; the broker delivers them when it comes back
    clean_session: bool = False

    def run(
        self,
        handle: Callable[[bytes], object],
        *,
        max_messages: int | None = None,
        stop: threading.Event | None = None,
        subscribed: threading.Event | None = None,
        idle_timeout_s: float | None = None,
    ) -> int:
        """Receive messages and hand each payload to `handle` until `max_messages` were
        handled, `stop` is set, or nothing came for `idle_timeout_s`. Returns the count."""
        import time

        stop = stop or threading.Event()
        handled = 0
        last = time.monotonic()
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv311,
            clean_session=self.clean_session or not self.client_id,
            manual_ack=True,
        )
        if self.username:
            client.username_pw_set(self.username, self.password)

        def on_connect(
            client: mqtt.Client, _data: Any, _flags: Any, reason: Any, _props: Any
        ) -> None:
            if not reason.is_failure:
                client.subscribe(self.topic, qos=self.qos)

        def on_subscribe(*_args: Any) -> None:
            if subscribed is not None:
                subscribed.set()

        def on_message(client: mqtt.Client, _data: Any, message: mqtt.MQTTMessage) -> None:
            nonlocal handled, last
            handle(message.payload)
            client.ack(message.mid, message.qos)
            handled += 1
            last = time.monotonic()
            if max_messages is not None and handled >= max_messages:
                stop.set()

        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        client.connect(self.host, self.port, keepalive=30)
        try:
            while not stop.is_set():
                client.loop(timeout=0.2)
                if idle_timeout_s is not None and time.monotonic() - last > idle_timeout_s:
                    break
        finally:
            client.disconnect()
        return handled


def parse_broker(value: str) -> tuple[str, int]:
    """`host[:port]` or `mqtt://host[:port]` → (host, port)."""
    text = value.split("://", 1)[-1].rstrip("/")
    host, _, port = text.rpartition(":") if ":" in text else (text, "", "1883")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise ValueError(f"broker {value!r}: give host[:port]")
    return host, int(port)
