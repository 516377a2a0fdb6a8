#!/usr/bin/env python3
"""Draws the home-screen icons the web app manifest names (public/icon-192.png, icon-512.png):
the favicon's 共 in gold on red, inside the centre 80 % so a launcher may mask it to any
shape ("any maskable"). Run once when the design changes; needs Pillow (`pip install pillow`)
and a CJK font (Debian: `apt install fonts-wqy-microhei`). The PNGs are kept in the repository."""
import os

from PIL import Image, ImageDraw, ImageFont

RED, GOLD = (183, 28, 28, 255), (255, 213, 79, 255)
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def icon(size):
    image = Image.new("RGBA", (size, size), RED)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(size * 0.56))
    draw.text((size / 2, size / 2), "共", font=font, fill=GOLD, anchor="mm")
    return image


here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "public")
for size in (192, 512):
    icon(size).save(os.path.join(here, f"icon-{size}.png"), optimize=True)
