"""Core's translatable messages: English for the command line, template and fields for the window."""

import pickle

from regstudio.core.data import load_csv
from regstudio.core.errors import DataError
from regstudio.core.messages import Message, english_plural, translate


def test_a_message_is_its_english_text_and_keeps_what_made_it():
    message = translate("Data", "{file}: row {row} has {fields} fields").format(file="a.csv", row=3, fields=2)
    assert message == "a.csv: row 3 has 2 fields"
    assert isinstance(message, str)
    assert (message.context, message.template) == ("Data", "{file}: row {row} has {fields} fields")
    assert message.fields == {"file": "a.csv", "row": 3, "fields": 2}


def test_english_plurals_pick_the_singular_only_for_one():
    assert english_plural("solved in %n step(s)", 1) == "solved in 1 step"
    assert english_plural("solved in %n step(s)", 0) == "solved in 0 steps"
    assert translate("Training", "%n point(s) left", "", 12) == "12 points left"


def test_messages_cross_a_process_boundary_whole():
    nested = translate("Files", "{file}: {problem}").format(file="x.csv", problem=translate("Files", "no such file"))
    copy = pickle.loads(pickle.dumps(nested))
    assert copy == nested and copy.template == nested.template
    assert isinstance(copy.fields["problem"], Message) and copy.fields["problem"].template == "no such file"


def test_advice_names_the_flag_on_the_command_line_and_the_control_in_the_window():
    advice = translate("Models", "choose Softmax regression under Model").for_command_line("use --model softmax")
    message = translate("Models", "logistic needs 2 classes; {advice}").format(advice=advice)
    assert message == "logistic needs 2 classes; use --model softmax"  # what the command line prints
    assert message.fields["advice"].template == "choose Softmax regression under Model"  # what the window shows
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and copy.fields["advice"] == "use --model softmax"
    assert copy.fields["advice"].template == "choose Softmax regression under Model"


def test_a_data_error_carries_a_message_naming_the_file_and_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n1,2\n3\n")
    try:
        load_csv(str(path))
    except DataError as exc:
        message = exc.args[0]
    assert isinstance(message, Message)
    assert message.fields["file"] == str(path) and message.fields["row"] == 2
    assert str(message) == f"{path}: row 2 (line 3) has 1 field but the header has 2"
