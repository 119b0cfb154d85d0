"""The demo company's logo, drawn when the demo data loads.

Without it, letters and the portal of the demo show Odoo's "Your logo" placeholder. The logo
is drawn with Pillow (which Odoo requires): a rounded square in the company's colour with
its initials, and its name beside it, in the Lato font that Odoo's web client ships. A logo
the user has set is never replaced.
"""

import base64
import io

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from odoo.tools.misc import file_path

FONT_BOLD = "web/static/fonts/lato/Lato-Bol-webfont.ttf"
FONT_REGULAR = "web/static/fonts/lato/Lato-Reg-webfont.ttf"
# Electrical blue, and a darker ink for the name.
DEFAULT_COLOUR = "#1d4e89"
INK = "#22313f"
HEIGHT = 160
# Words left out of the initials (French and English).
SMALL_WORDS = {"and", "de", "des", "du", "et", "la", "le", "les", "of", "the"}


def initials(name, count=2):
    """Up to ``count`` capital initials of the significant words of ``name``.

    >>> initials("Dumont Équipements Électriques")
    'DÉ'
    >>> initials("Société des Eaux")
    'SE'
    """
    words = [word for word in name.replace("-", " ").split() if word.lower() not in SMALL_WORDS]
    return "".join(word[0] for word in words[:count]).upper() or "?"


def _colour(value):
    """An RGB tuple of a ``#rrggbb`` colour (the default one when it is not)."""
    value = value if value and len(value) == 7 and value.startswith("#") else DEFAULT_COLOUR
    try:
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return _colour(DEFAULT_COLOUR)


def draw_logo(name, colour=None):
    """PNG bytes of a logo for ``name``: its initials in white on a rounded square of
    ``colour`` (``#rrggbb``), the name beside it on one or two lines; transparent around."""
    bold = ImageFont.truetype(file_path(FONT_BOLD), 72)
    regular = ImageFont.truetype(file_path(FONT_REGULAR), 40)
    words = name.split()
    # The first word on the first line, the rest on the second.
    lines = [words[0], " ".join(words[1:])] if len(words) > 1 else [name]
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    widths = [
        measure.textbbox((0, 0), line, font=bold if index == 0 else regular)[2]
        for index, line in enumerate(lines)
    ]
    margin = 12
    square = HEIGHT - 2 * margin
    text_left = margin + square + 28
    image = Image.new("RGBA", (text_left + max(widths) + margin, HEIGHT), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    fill = _colour(colour)
    draw.rounded_rectangle(
        (margin, margin, margin + square, margin + square), radius=28, fill=(*fill, 255)
    )
    draw.text(
        (margin + square / 2, margin + square / 2),
        initials(name),
        font=bold,
        fill=(255, 255, 255, 255),
        anchor="mm",
    )
    if len(lines) == 1:
        draw.text((text_left, HEIGHT / 2), lines[0], font=bold, fill=INK, anchor="lm")
    else:
        draw.text((text_left, HEIGHT / 2 - 4), lines[0], font=bold, fill=INK, anchor="ls")
        draw.text((text_left, HEIGHT / 2 + 8), lines[1], font=regular, fill=fill, anchor="lt")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def set_demo_logo(company):
    """Give ``company`` a drawn logo when it still has Odoo's placeholder."""
    if company.uses_default_logo:
        company.logo = base64.b64encode(draw_logo(company.name, company.primary_color))
