from __future__ import annotations

from skills4cities.curriculum.rendering import render_markdown


def test_markdown_headings_lists_and_links_render() -> None:
    html = render_markdown("## Key concepts\n\n- one\n- [EUR-Lex](https://eur-lex.europa.eu/)\n")

    assert html == (
        "<h2>Key concepts</h2>\n<ul>\n<li>one</li>\n"
        '<li><a href="https://eur-lex.europa.eu/" rel="noopener noreferrer">EUR-Lex</a></li>\n</ul>\n'
    )


def test_script_tags_are_shown_as_text_never_run() -> None:
    html = render_markdown("Hello <script>alert(1)</script> world")

    assert "<script" not in html
    assert html == "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; world</p>\n"


def test_javascript_and_data_links_are_not_links() -> None:
    html = render_markdown(
        "[click](javascript:alert(1)) <javascript:alert(2)> [x](JaVaScRiPt:a()) [y](data:text/html,hi)"
    )

    assert html == (
        "<p>[click](javascript:alert(1)) &lt;javascript:alert(2)&gt; [x](JaVaScRiPt:a()) [y](data:text/html,hi)</p>\n"
    )


def test_raw_html_is_shown_as_text_and_images_are_dropped() -> None:
    html = render_markdown(
        '<div onclick="x()">raw</div>\n\n<img src=x onerror=alert(1)>\n\n![pic](https://example.org/a.png)'
    )

    assert html == (
        '<p>&lt;div onclick="x()"&gt;raw&lt;/div&gt;</p>\n<p>&lt;img src=x onerror=alert(1)&gt;</p>\n<p></p>\n'
    )


def test_links_open_normally_without_a_target() -> None:
    html = render_markdown("[site](https://example.org)")

    assert html == '<p><a href="https://example.org" rel="noopener noreferrer">site</a></p>\n'
