-- The DFF.FUNC call chain that led to a task (JSON list of func IDs), to refuse loops and long chains.
ALTER TABLE of_task_records ADD COLUMN func_chain TEXT NOT NULL DEFAULT '[]';
