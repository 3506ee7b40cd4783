"""The worker protocol's names on the runtime's side: the mirror of
`PythonWorker/Protocol/WorkerMessages.cs` and the silo's `RunMode`, which declare them for .NET
(WorkerProtocolMirrorTests fails when the two disagree)."""

# Request `mode`: the modes that run a script's code, and those that run the platform's own
# (a data source's check, debug-panel query and structure listing).
SCRIPT_MODES = ('run', 'check', 'test')
ADMIN_MODES = ('sourceCheck', 'sourceQuery', 'sourceBrowse')

REQUEST_FIELDS = ('mode', 'scriptId', 'code', 'codeMD5', 'funcName', 'kwargs', 'timeout', 'context')

# Each field of the request's `context`, and the `_DFF_*` variable the script sees it as: a
# script sees these and no others (plus the ones the runtime knows itself, RUNTIME_VARIABLES).
CONTEXT_VARIABLES = {
    'origin': '_DFF_ORIGIN',
    'originId': '_DFF_ORIGIN_ID',
    'taskId': '_DFF_TASK_ID',
    'rootTaskId': '_DFF_ROOT_TASK_ID',
    'funcId': '_DFF_FUNC_ID',
    'funcName': '_DFF_FUNC_NAME',
    'funcChain': '_DFF_FUNC_CHAIN',
    'triggerTime': '_DFF_TRIGGER_TIME',
    'httpRequest': '_DFF_HTTP_REQUEST',
    'debug': '_DFF_DEBUG',
    'silo': '_DFF_SILO',
    'attempt': '_DFF_TASK_ATTEMPT',
    'execMode': '_DFF_EXEC_MODE',
    'crontab': '_DFF_CRONTAB',
    'crontabDelay': '_DFF_CRONTAB_DELAY',
    'cronExpr': '_DFF_CRON_EXPR',
    'cronJobDelay': '_DFF_CRON_JOB_DELAY',
    'cronJobExecMode': '_DFF_CRON_JOB_EXEC_MODE',
}
RUNTIME_VARIABLES = ('_DFF_SCRIPT_ID', '_DFF_SCRIPT_SET_ID', '_DFF_TRIGGER_TIME_MS', '_DFF_START_TIME', '_DFF_START_TIME_MS')

# The argument types an exported func's hints may declare (`kwargs` of a described func: {name: {type, items?}}),
# which the silo converts string values to before a run (the mirror of .NET's ArgumentType).
ARGUMENT_TYPES = ('str', 'int', 'float', 'bool', 'list', 'dict')

# The fields of a retry policy (`DFF.API(retry={...})`) and the range of each (the mirror of .NET's RetryPolicy.Limits).
RETRY_LIMITS = {'count': (0, 10), 'delay': (0, 86400), 'factor': (1, 10), 'maxDelay': (0, 86400)}

READY_FIELDS = ('pid', 'pythonVersion')
RESULT_FIELDS = ('status', 'result', 'funcs', 'notes', 'printLogs', 'cost', 'error', 'responseControl')
ERROR_FIELDS = ('type', 'message', 'line', 'traceback')
STATUSES = ('success', 'failure', 'timeout')

# Questions a run asks the silo (`_callback(name, **args)`), and the fields of the frames.
CALLBACKS = ('runCode', 'getPublishedCode', 'cache', 'callFunc', 'getDataSource', 'getEnvVariable', 'listDataSources',
             'listEnvVariables', 'getCustomConfig', 'store')
CALLBACK_FIELDS = ('name', 'args')
CALLBACK_REPLY_FIELDS = ('ok', 'value', 'error')
