"""The board on a 1366×768 screen (issue 15 item 9): the page is no wider than the screen,
the board scrolls inside itself and the stage headers stay in view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_board_fits_1366_with_sticky_stage_headers(project_maker, browser):
    for n in range(12):
        project_maker.make(name=f"看板宽度测试项目{n}", stage="negotiating", planned_investment_wan="1000")
    page = browser.page
    page.set_viewport_size({"width": 1366, "height": 768})
    browser.login("a_staff")
    browser.goto("/projects/board")
    expect(page.locator("[data-testid=column-lead] header")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    board = page.locator("#kanban")
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")  # scrolls sideways in itself
    # Scrolled down inside the board, the stage header of the long column stays at its top.
    header = page.locator("[data-testid=column-negotiating] header")
    board.evaluate("b => { b.scrollTop = b.scrollHeight; }")
    assert board.evaluate("b => b.scrollTop") > 0
    top_board = board.evaluate("b => b.getBoundingClientRect().top")
    top_header = header.evaluate("h => h.getBoundingClientRect().top")
    assert abs(top_header - top_board) <= 4
    expect(header).to_be_visible()
    # Scrolled sideways to the end, the last column (终止) shows.
    board.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    expect(page.locator("[data-testid=column-lost] header")).to_be_in_viewport()
