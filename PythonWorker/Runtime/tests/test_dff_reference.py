"""The editor's reference of the script API is generated from the runtime and kept current."""

import os
import unittest

import dff_reference

COMMITTED = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'WebFront', 'ClientApp', 'src', 'scripts', 'dffReference.json')


class ReferenceTests(unittest.TestCase):
    def test_the_committed_copy_is_current(self):
        with open(COMMITTED, encoding='utf-8') as committed:
            self.assertEqual(committed.read(), dff_reference.render(),
                             'Regenerate it: cd PythonWorker/Runtime && /usr/bin/python3 -B dff_reference.py '
                             '../../WebFront/ClientApp/src/scripts/dffReference.json')

    def test_every_variable_a_run_sets_is_described(self):
        self.assertEqual(set(dff_reference.VARIABLES), dff_reference.variable_names())

    def test_every_member_method_and_option_has_a_description(self):
        reference = dff_reference.reference()
        described = reference['members'] + reference['apiOptions'] + reference['variables'] + reference['globals'] + [
            method for member in reference['members'] for method in member.get('methods', [])]
        self.assertEqual([], [item['name'] for item in described if not item['description']])

    def test_members_answer_by_their_signatures(self):
        members = {member['name']: member for member in dff_reference.reference()['members']}
        self.assertEqual('(title=None, **options)', members['API']['signature'])
        self.assertEqual('(env_id, default=None)', members['ENV']['signature'])
        self.assertIn('incrby', [method['name'] for method in members['CACHE']['methods']])
        self.assertNotIn('_do', [method['name'] for method in members['CACHE']['methods']])


if __name__ == '__main__':
    unittest.main()
