"""Data source helpers' parts that need no server: the MongoDB helper's credentials, the Memcached helper's values."""

import unittest

import dff_datasources


class MongoDbCredentialsTests(unittest.TestCase):
    # pymongo connects on first use: building the client reads its options only.
    def _source_of_credentials(self, config, **options):
        helper = dff_datasources.MongoDbHelper(dict({'host': '127.0.0.1', 'port': 1, 'user': 'u', 'password': 'p'}, **config), **options)
        try:
            return helper.client._MongoClient__options.credentials.source
        finally:
            helper.close()

    def test_a_user_is_looked_up_in_the_sources_database_as_1x_did(self):
        self.assertEqual('app', self._source_of_credentials({'database': 'app'}))
        self.assertEqual('other', self._source_of_credentials({'database': 'app'}, database='other'))

    def test_without_a_database_the_user_is_looked_up_in_admin(self):
        self.assertEqual('admin', self._source_of_credentials({}))


class MemcachedValuesTests(unittest.TestCase):
    def setUp(self):
        self.values = dff_datasources._MemcachedValues()

    def test_values_read_back_as_python_memcached_wrote_them(self):
        # python-memcached's flags: 0 bytes, 1 pickled, 2 int, 16 text.
        self.assertEqual(7, self.values.deserialize('k', b'7', 2))
        self.assertEqual('é', self.values.deserialize('k', 'é'.encode(), 16))
        self.assertEqual(b'\xff', self.values.deserialize('k', b'\xff', 0))
        self.assertEqual(b'\x80\x04K\x01.', self.values.deserialize('k', b'\x80\x04K\x01.', 1))  # not unpickled

    def test_values_are_written_with_its_flags(self):
        self.assertEqual((b'-3', 2), self.values.serialize('k', -3))
        self.assertEqual(('é'.encode(), 16), self.values.serialize('k', 'é'))
        self.assertEqual((b'\x00', 0), self.values.serialize('k', b'\x00'))
        with self.assertRaises(TypeError):
            self.values.serialize('k', {'a': 1})


if __name__ == '__main__':
    unittest.main()


class IdentifierPlaceholderTests(unittest.TestCase):
    """`??` as 1.x's text (a plain name, optionally dotted, with ASC or DESC, or `*`) but quoted, never raw SQL."""

    def bind(self, helper, sql, params):
        return helper.placeholders.bind(sql, params)[0]

    def test_a_plain_name_is_quoted_as_the_database_would_fold_it_unquoted(self):
        # 1.x put the text in raw: PostgreSQL folds a plain name to lower case, Oracle to upper case.
        self.assertEqual('SELECT "id" FROM "s"."mytable"', self.bind(dff_datasources.PostgreSqlHelper, 'SELECT ?? FROM ??', ['id', 's.MyTable']))
        self.assertEqual('SELECT "ID" FROM "MYTABLE"', self.bind(dff_datasources.OracleHelper, 'SELECT ?? FROM ??', ['id', 'MyTable']))
        self.assertEqual('SELECT `Id` FROM `MyTable`', self.bind(dff_datasources.MySqlHelper, 'SELECT ?? FROM ??', ['Id', 'MyTable']))

    def test_a_sort_direction_and_a_star_are_kept(self):
        self.assertEqual('SELECT * FROM t ORDER BY `ts` DESC, `t`.`id` ASC',
                         self.bind(dff_datasources.MySqlHelper, 'SELECT ?? FROM t ORDER BY ??, ??', ['*', 'ts desc', 't.id ASC']))
        self.assertEqual('SELECT "t".* FROM t', self.bind(dff_datasources.PostgreSqlHelper, 'SELECT ?? FROM t', ['t.*']))

    def test_anything_else_is_one_quoted_name_as_it_is(self):
        self.assertEqual('SELECT "a""b; DROP TABLE x" FROM "Mixed Case"',
                         self.bind(dff_datasources.PostgreSqlHelper, 'SELECT ?? FROM ??', ['a"b; DROP TABLE x', 'Mixed Case']))
        self.assertEqual('ORDER BY `ts DESC; --`', self.bind(dff_datasources.MySqlHelper, 'ORDER BY ??', ['ts DESC; --']))

    def test_dict_keys_follow_the_same_rule(self):
        self.assertEqual('UPDATE t SET "name" = %s', self.bind(dff_datasources.PostgreSqlHelper, 'UPDATE t SET ?', [{'Name': 'x'}]))
