using OrleansFunc.Engine.Protocol;

namespace OrleansFunc.Engine;

/// <summary>The reader of one worker channel, as <see cref="ChannelPoller"/> calls it, on the poller's thread.</summary>
internal interface IChannelSink
{
    /// <summary>The next frame, in order. Must not block; throwing ends the channel (a protocol error).</summary>
    void OnFrame(Frame frame);

    /// <summary>
    /// Called once when the channel ended, after it left the poller: <paramref name="brokenDetail"/> is
    /// null when the other side closed it between frames, else why it broke; <paramref name="violatedProtocol"/>
    /// when it broke on bytes the other side sent that are no frame of the protocol (rather than on its end).
    /// </summary>
    void OnClosed(string? brokenDetail, bool violatedProtocol);
}
