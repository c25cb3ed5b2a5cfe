"""A chat bot written for the imbot v1 API, in Python with the standard library only.

It registers itself through an incoming webhook (imbot.register, imbot.command.register), answers
the form-encoded events a portal POSTs to its handler, and talks back with imbot.message.add and
imbot.command.answer:

- a user opens its 1:1 dialog or adds it to a chat: ONIMBOTJOINCHAT -> a greeting
- a user writes to it: ONIMBOTMESSAGEADD -> "You said: ..."
- /echo <text>: ONIMCOMMANDADD -> the text back; /help: the commands, with a button for /echo

Run: python3 bot.py <webhook base URL> <CLIENT_ID>. It prints "READY <bot id> <handler URL>" once
it is registered, then serves until stopped.
"""

import json
import sys
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GREETING = "Hello! I am a v1 bot. Try /help."
HELP_TEXT = "Commands: /echo <text> repeats the text; /help shows this."


def php_form(params, prefix=""):
    """Flattens nested params the way PHP's http_build_query does: KEYBOARD[0][TEXT]=Help."""
    pairs = []
    items = params.items() if isinstance(params, dict) else enumerate(params)
    for key, value in items:
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, (dict, list)):
            pairs.extend(php_form(value, name))
        else:
            pairs.append((name, str(value)))
    return pairs


class Portal:
    """The portal's incoming webhook; every call carries the bot owner's CLIENT_ID."""

    def __init__(self, webhook_url, client_id):
        self.webhook_url = webhook_url
        self.client_id = client_id

    def call(self, method, params):
        body = urllib.parse.urlencode(php_form({**params, "CLIENT_ID": self.client_id})).encode()
        request = urllib.request.Request(self.webhook_url + method, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as error:
            answer = json.load(error)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}: {answer['error_description']}")
        return answer["result"]


def register(portal, handler_url):
    bot_id = portal.call("imbot.register", {
        "CODE": "v1_echo_bot",
        "TYPE": "B",
        "EVENT_HANDLER": handler_url,
        "PROPERTIES": {"NAME": "Echo", "LAST_NAME": "Bot", "COLOR": "AQUA"},
    })
    for command, title in (("echo", "Repeat the text"), ("help", "What I can do")):
        portal.call("imbot.command.register", {
            "BOT_ID": bot_id,
            "COMMAND": command,
            "COMMON": "N",
            "HIDDEN": "N",
            "EVENT_COMMAND_ADD": handler_url,
            "LANG": [{"LANGUAGE_ID": "en", "TITLE": title, "PARAMS": "text"}],
        })
    return bot_id


def handle_event(portal, form):
    """Reacts to one event, given as the flat form fields a portal POSTs."""
    event = form.get("event")
    if event == "ONIMBOTJOINCHAT":
        portal.call("imbot.message.add", {"DIALOG_ID": form["data[PARAMS][DIALOG_ID]"], "MESSAGE": GREETING})
    elif event == "ONIMBOTMESSAGEADD":
        portal.call("imbot.message.add", {
            "DIALOG_ID": form["data[PARAMS][DIALOG_ID]"],
            "MESSAGE": "You said: " + form["data[PARAMS][MESSAGE]"],
        })
    elif event == "ONIMCOMMANDADD":
        # data[COMMAND][<command id>][...]: one entry per command of this owner the user called.
        command_ids = {key.split("[")[2].rstrip("]") for key in form if key.startswith("data[COMMAND][")}
        for command_id in sorted(command_ids):
            field = lambda name: form.get(f"data[COMMAND][{command_id}][{name}]", "")
            answer = {"COMMAND_ID": command_id, "MESSAGE_ID": field("MESSAGE_ID")}
            if field("COMMAND") == "help":
                answer["MESSAGE"] = HELP_TEXT
                answer["KEYBOARD"] = [{"TEXT": "Echo hi", "COMMAND": "echo", "COMMAND_PARAMS": "hi"}]
            else:
                answer["MESSAGE"] = field("COMMAND_PARAMS") or "(nothing to echo)"
            portal.call("imbot.command.answer", answer)


def handler_class(portal):
    class EventHandler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            fields = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
            form = {key: values[-1] for key, values in fields.items()}
            # A webhook owner's events are signed with its CLIENT_ID: anything else is not the portal.
            if form.get("auth[application_token]") != portal.client_id:
                self.send_response(401)
                self.end_headers()
                return
            handle_event(portal, form)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, *args):
            pass

    return EventHandler


def main():
    webhook_url, client_id = sys.argv[1], sys.argv[2]
    portal = Portal(webhook_url, client_id)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class(portal))
    handler_url = f"http://127.0.0.1:{server.server_address[1]}/bitrix/events"
    bot_id = register(portal, handler_url)
    print(f"READY {bot_id} {handler_url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
