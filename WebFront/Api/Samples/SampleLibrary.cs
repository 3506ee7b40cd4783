namespace OrleansFunc.WebFront.Api.Samples;

/// <summary>
/// The sample script set a fresh installation offers: hello world, a func with arguments and docs, one that uses
/// <c>DFF.ENV</c>, <c>DFF.CACHE</c> and <c>DFF.RESP</c>, an env variable, an auth link and a crontab config. All of it is
/// ordinary (listed, edited and deleted like anything else); its IDs start with <see cref="SetId"/>.
/// </summary>
public static class SampleLibrary
{
    public const string SetId = "samples";
    public const string SetTitle = "Samples";
    public const string SetDescription = "Examples to read, run and change; delete the set when you no longer need it.";

    public sealed record SampleScript(string Name, string Title, string Code)
    {
        public string Id => $"{SetId}__{Name}";
    }

    public static readonly IReadOnlyList<SampleScript> Scripts =
    [
        new("hello", "Hello world", """
            @DFF.API('Hello world')
            def hello_world():
                '''
                Says hello: the smallest func there is. Run it from the editor, or call it through an auth link.
                '''
                return 'Hello, world!'
            """ + "\n"),
        new("arguments", "Arguments and docs", """
            @DFF.API('Add two numbers', category='math', tags=['sample'])
            def plus(x, y=1):
                '''
                Adds two numbers. This text is the func's documentation in the func docs.

                Arguments:
                    x (int/float): the first number
                    y (int/float): the second number (1 when not given)

                Returns:
                    {"sum": x + y}
                '''
                return {'sum': float(x) + float(y)}
            """ + "\n"),
        new("features", "Env variables, cache, responses", """
            @DFF.API('Greet, counting the greetings')
            def greet(name='world'):
                '''
                Reads the greeting from an env variable (DFF.ENV), counts the calls in the cache (DFF.CACHE) and
                answers with a response of its own (DFF.RESP: status, headers).
                '''
                greeting = DFF.ENV('samples_greeting') or 'Hello'
                calls = DFF.CACHE.incr('samples:greetings')
                return DFF.RESP({'message': '%s, %s!' % (greeting, name), 'greetings': calls}, status_code=200,
                                headers={'X-Sample': 'greet'})
            """ + "\n"),
    ];

    public const string EnvVariableId = "samples_greeting";
    public const string AuthLinkId = "samples_greet";
    public const string GreetFuncId = $"{SetId}__features.greet";
    public const string CrontabConfigId = "samples_hourly_hello";
    public const string HelloFuncId = $"{SetId}__hello.hello_world";
}
