from rillchat.ui.code_blocks import code_blocks


def test_fenced_blocks_with_their_language():
    text = "Intro\n\n```python\nprint(1)\nprint(2)\n```\n\n~~~\nplain\n~~~\n\n    indented\n"
    blocks = code_blocks(text)
    assert [(block.language, block.code) for block in blocks] == [
        ("python", "print(1)\nprint(2)"),
        ("", "plain"),
        ("", "indented"),
    ]
    assert blocks[0].label == "python, 2 lines: print(1)"


def test_an_unfinished_fence_still_counts():
    assert code_blocks("```sh\nls -l")[0].code == "ls -l"


def test_no_final_newline_so_a_pasted_command_does_not_run_by_itself():
    assert code_blocks("```sh\nrm -rf build\n```\n")[0].code == "rm -rf build"
