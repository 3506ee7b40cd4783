namespace OrleansFunc.Engine;

/// <summary>
/// The seccomp program bubblewrap loads into every worker (<c>bwrap --seccomp FD</c>, a classic BPF
/// program): a script may call out, but never serve. <c>listen</c> fails with EPERM, so no script
/// accepts connections on the host's network (which the sandbox shares so that scripts reach their
/// databases and APIs) or on a socket file. <c>bind</c> stays allowed: clients bind before they
/// connect (<c>socket.create_connection(source_address=...)</c>, paho-mqtt), and a bound stream socket
/// that cannot listen serves nothing. System calls of another ABI (i386 <c>int 0x80</c>, x32) are
/// refused whole, since their numbers would slip past the check.
/// </summary>
public static class SeccompFilter
{
    private const ushort LoadWord = 0x20;     // BPF_LD | BPF_W | BPF_ABS
    private const ushort JumpIfEqual = 0x15;  // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort JumpIfAtLeast = 0x35; // BPF_JMP | BPF_JGE | BPF_K
    private const ushort Return = 0x06;       // BPF_RET | BPF_K

    private const uint AuditArchX86_64 = 0xC000003E;
    private const uint X32SyscallBit = 0x40000000;
    private const uint SysListen = 50;
    private const uint Allow = 0x7FFF0000;
    private const uint FailWithEperm = 0x00050000 | 1;

    /// <summary>The program, as the kernel's <c>struct sock_filter</c> array (x86-64).</summary>
    public static byte[] Program()
    {
        (ushort Code, byte IfTrue, byte IfFalse, uint K)[] program =
        [
            (LoadWord, 0, 0, 4),                   // 0: seccomp_data.arch
            (JumpIfEqual, 0, 4, AuditArchX86_64),  // 1: another ABI → 6
            (LoadWord, 0, 0, 0),                   // 2: seccomp_data.nr
            (JumpIfAtLeast, 2, 0, X32SyscallBit),  // 3: x32 → 6
            (JumpIfEqual, 1, 0, SysListen),        // 4: listen → 6
            (Return, 0, 0, Allow),                 // 5
            (Return, 0, 0, FailWithEperm),         // 6
        ];
        var bytes = new byte[program.Length * 8];
        for (var i = 0; i < program.Length; i++)
        {
            var (code, ifTrue, ifFalse, k) = program[i];
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8, 2), code);
            bytes[i * 8 + 2] = ifTrue;
            bytes[i * 8 + 3] = ifFalse;
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8 + 4, 4), k);
        }
        return bytes;
    }
}
