"""A readable device name ("Firefox on Windows") from a browser's User-Agent, for the list of sessions."""

from __future__ import annotations

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari", Android also says "Linux".
_BROWSERS = (("Edg/", "Edge"), ("EdgA/", "Edge"), ("OPR/", "Opera"), ("Opera", "Opera"),
             ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
             ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Windows", "Windows"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("Linux", "Linux"))
DEVICE_MAX = 80
UNKNOWN_DEVICE = "Unknown device"


def device_label(user_agent: str | None) -> str:
    """"Browser on system" from a User-Agent header; "Unknown device" when neither is recognised."""
    ua = (user_agent or "")[:1000]
    browser = next((name for marker, name in _BROWSERS if marker in ua), "")
    system = next((name for marker, name in _SYSTEMS if marker in ua), "")
    if browser and system:
        return f"{browser} on {system}"[:DEVICE_MAX]
    return browser or system or UNKNOWN_DEVICE
