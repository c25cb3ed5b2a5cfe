#!/usr/bin/env python3
"""Help bot in Python, standard library only: a Bitrix24 chat bot on the imbot.v2 REST API.

It registers itself and two commands, greets chats it joins, answers /help and /echo. Run it
against b24-emulator (or a real portal) with the incoming webhook URL the portal gives you:

    python3 help_bot.py --webhook-url http://127.0.0.1:3000/rest/1/emulator/ --bot-token my-secret
    python3 help_bot.py --webhook-url ... --bot-token ... --mode webhook --listen 127.0.0.1:8081

Fetch mode polls imbot.v2.Event.get and calls back through the incoming webhook with botToken.
Webhook mode serves the portal's POSTs and calls back with the OAuth access token each event
carries (data[bot][auth]), so both ways of authenticating are shown.
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_CODE = "py_help_bot"
HELP_TEXT = "Help bot (Python) knows these commands:\n/help - this list\n/echo <text> - sends <text> back to you"
GREETING = "Hello! I am Help bot (Python). Type /help to see what I can do."
COMMANDS = [
    {"command": "help", "title": {"en": "List the commands"}},
    {"command": "echo", "title": {"en": "Send the text back"}, "params": {"en": "text"}},
]


class RestError(Exception):
    pass


def call_rest(base_url, method, params):
    """POSTs params as JSON to base_url + method; returns `result` or raises with the portal's error."""
    request = urllib.request.Request(
        base_url.rstrip("/") + "/" + method,
        data=json.dumps(params).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        body = json.load(error)
    if "error" in body:
        raise RestError(f"{method}: {body['error']}: {body.get('error_description', '')}")
    return body["result"]


def register(webhook_url, bot_token, mode, handler_url):
    fields = {"code": BOT_CODE, "botToken": bot_token, "eventMode": mode, "properties": {"name": "Help bot (Python)"}}
    if mode == "webhook":
        fields["webhookUrl"] = handler_url
    bot_id = call_rest(webhook_url, "imbot.v2.Bot.register", {"fields": fields})["bot"]["id"]
    for command in COMMANDS:
        call_rest(webhook_url, "imbot.v2.Command.register", {"botId": bot_id, "botToken": bot_token, "fields": command})
    return bot_id


def reply_to(command, params):
    if command == "/help":
        return {"message": HELP_TEXT}
    if command == "/echo":
        return {"message": params if params.strip() else "Nothing to echo: type /echo and some text."}
    return {"message": f"I do not know {command}. Type /help."}


def handle_event(event_type, data, call):
    """Reacts to one event. `call(method, params)` carries the credentials; ids may be strings (webhook mode)."""
    bot_id = int(data["bot"]["id"])
    if event_type == "ONIMBOTV2JOINCHAT":
        call("imbot.v2.Chat.Message.send", {"botId": bot_id, "dialogId": data["dialogId"], "fields": {"message": GREETING}})
    elif event_type == "ONIMBOTV2COMMANDADD":
        command = data["command"]
        call("imbot.v2.Command.answer", {
            "botId": bot_id,
            "commandId": int(command["id"]),
            "messageId": int(data["message"]["id"]),
            "dialogId": data["chat"]["dialogId"],
            "fields": reply_to(command["command"], command.get("params", "")),
        })


def poll_forever(webhook_url, bot_token, bot_id, interval):
    """Fetch mode: `offset` confirms every event below it, so it moves on only past handled events."""
    def call(method, params):
        return call_rest(webhook_url, method, {**params, "botToken": bot_token})

    offset = None
    while True:
        params = {"botId": bot_id} if offset is None else {"botId": bot_id, "offset": offset}
        page = call("imbot.v2.Event.get", params)
        for event in page["events"]:
            handle_event(event["type"], event["data"], call)
            offset = event["eventId"] + 1
        if not page["hasMore"]:
            time.sleep(interval)


def parse_php_form(body):
    """`data[bot][id]=457&...` into nested dicts; every value stays a string."""
    root = {}
    for key, value in urllib.parse.parse_qsl(body, keep_blank_values=True):
        head, _, rest = key.partition("[")
        path = [head] + ([part.rstrip("]") for part in rest.split("[")] if rest else [])
        node = root
        for name in path[:-1]:
            node = node.setdefault(name, {})
            if not isinstance(node, dict):
                break
        else:
            node[path[-1]] = value
    return root


def serve_forever(listen, on_ready):
    """Webhook mode: one POST per event; 200 only once it is handled, so failures show in the portal's log."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            form = parse_php_form(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8"))
            if not form.get("auth", {}).get("application_token"):
                self.send_response(401)
                self.end_headers()
                return
            data = form.get("data", {})
            auth = data["bot"]["auth"]

            def call(method, params):
                # The OAuth form: the portal's REST base from the event and the bot's access token.
                return call_rest(auth["client_endpoint"], method, {**params, "auth": auth["access_token"]})

            try:
                handle_event(form.get("event", ""), data, call)
                self.send_response(200)
            except Exception as error:  # the portal's delivery log shows the 500
                print(f"event failed: {error}", file=sys.stderr, flush=True)
                self.send_response(500)
            self.end_headers()

        def log_message(self, *args):
            pass

    host, port = listen.rsplit(":", 1)
    server = ThreadingHTTPServer((host, int(port)), Handler)
    on_ready(f"http://{host}:{server.server_address[1]}/bitrix/events")
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhook-url", required=True, help="the portal's incoming webhook, e.g. http://127.0.0.1:3000/rest/1/emulator/")
    parser.add_argument("--bot-token", required=True, help="a secret you choose; the portal takes whoever presents it as the bot's owner")
    parser.add_argument("--mode", choices=["fetch", "webhook"], default="fetch")
    parser.add_argument("--listen", default="127.0.0.1:0", help="webhook mode: host:port to serve events on (0 = any free port)")
    parser.add_argument("--poll-interval", type=float, default=2.0, help="fetch mode: seconds between polls when idle")
    args = parser.parse_args()

    if args.mode == "fetch":
        bot_id = register(args.webhook_url, args.bot_token, "fetch", None)
        print(f"ready bot={bot_id} mode=fetch", flush=True)
        poll_forever(args.webhook_url, args.bot_token, bot_id, args.poll_interval)
    else:
        def ready(handler_url):
            bot_id = register(args.webhook_url, args.bot_token, "webhook", handler_url)
            print(f"ready bot={bot_id} mode=webhook handler={handler_url}", flush=True)

        serve_forever(args.listen, ready)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
