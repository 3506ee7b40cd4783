"""DFF.SQL: DataFlux Func's client-side SQL formatting, without a worker."""

import unittest

from dff_sql import format_sql


class FormatSqlTests(unittest.TestCase):
    def test_values_are_escaped_literals(self):
        self.assertEqual("SELECT * FROM t WHERE a = 'x\\'y' AND b = 3 AND c IS NULL AND d = TRUE",
                         format_sql('SELECT * FROM t WHERE a = ? AND b = ? AND c IS ? AND d = ?', ["x'y", 3, None, True]))

    def test_double_question_marks_take_names_as_they_are(self):
        self.assertEqual("SELECT `n` FROM logs WHERE id = 1", format_sql('SELECT ?? FROM ?? WHERE id = ?', ['`n`', 'logs', 1]))

    def test_dicts_lists_and_rows(self):
        self.assertEqual("UPDATE t SET a = 1, b = 'x'", format_sql('UPDATE t SET ?', [{'a': 1, 'b': 'x'}]))
        self.assertEqual("SELECT 1 WHERE id IN (1, 2, 'x')", format_sql('SELECT 1 WHERE id IN (?)', [[1, 2, 'x']]))
        self.assertEqual("INSERT INTO t VALUES (1, 'a'), (2, 'b')", format_sql('INSERT INTO t VALUES ?', [[[1, 'a'], [2, 'b']]]))
        self.assertEqual("UPDATE t SET a = 1,\n  b = 2", format_sql('UPDATE t SET ?', [{'a': 1, 'b': 2}], pretty=True))

    def test_braces_are_plain_text(self):
        # 1.x filled placeholders with str.format, which broke on any brace in the statement.
        self.assertEqual("SELECT '{\"a\": 1}' AS j, 'v'", format_sql("SELECT '{\"a\": 1}' AS j, ?", ['v']))

    def test_without_params_the_statement_is_unchanged(self):
        self.assertEqual('SELECT ?', format_sql('SELECT ?'))
        self.assertEqual("SELECT 'a' , ?", format_sql('SELECT ? , ?', 'a'))
