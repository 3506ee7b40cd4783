using System.Text;

namespace OrleansFunc.PythonPackages;

/// <summary>
/// The output of a package operation as it comes (pip's lines, from its reader threads), read from an offset by the
/// console while it runs. Capped: a chatty build cannot fill the silo's memory or the grain's stored state.
/// </summary>
public sealed class OperationLog
{
    public const int MaxChars = 128 * 1024;

    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private bool _cut;

    public OperationLog(string text = "") => _text.Append(text);

    public void Line(string line)
    {
        lock (_gate)
        {
            if (_cut)
            {
                return;
            }
            if (_text.Length + line.Length + 1 > MaxChars)
            {
                _text.Append("... (the rest of the output is not kept)\n");
                _cut = true;
                return;
            }
            _text.Append(line).Append('\n');
        }
    }

    /// <summary>The outcome, written even after the cut.</summary>
    public void Last(string line)
    {
        lock (_gate)
        {
            _text.Append(line).Append('\n');
        }
    }

    /// <summary>The text from <paramref name="offset"/> on, and the offset to ask from next.</summary>
    public (string Text, int NextOffset) From(int offset)
    {
        lock (_gate)
        {
            var start = Math.Clamp(offset, 0, _text.Length);
            return (_text.ToString(start, _text.Length - start), _text.Length);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
