package dev.vouch.relay.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One WebSocket text frame of the relay protocol (docs/relay-protocol.md). The JSON {@code type}
 * property names the record; {@link Wire} is the one mapper that reads and writes them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Frames.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = Frames.Ok.class, name = "ok"),
    @JsonSubTypes.Type(value = Frames.Error.class, name = "error"),
    @JsonSubTypes.Type(value = Frames.Deliver.class, name = "deliver"),
    @JsonSubTypes.Type(value = Frames.QueueEmpty.class, name = "queueEmpty"),
    @JsonSubTypes.Type(value = Frames.Register.class, name = "register"),
    @JsonSubTypes.Type(value = Frames.Authenticate.class, name = "authenticate"),
    @JsonSubTypes.Type(value = Frames.UploadPreKeys.class, name = "uploadPreKeys"),
    @JsonSubTypes.Type(value = Frames.PreKeyCounts.class, name = "preKeyCounts"),
    @JsonSubTypes.Type(value = Frames.FetchBundles.class, name = "fetchBundles"),
    @JsonSubTypes.Type(value = Frames.Lookup.class, name = "lookup"),
    @JsonSubTypes.Type(value = Frames.Send.class, name = "send"),
    @JsonSubTypes.Type(value = Frames.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = Frames.LogHead.class, name = "logHead"),
    @JsonSubTypes.Type(value = Frames.LogEntries.class, name = "logEntries"),
    @JsonSubTypes.Type(value = Frames.PublishDeviceList.class, name = "publishDeviceList"),
    @JsonSubTypes.Type(value = Frames.Provision.class, name = "provision"),
    @JsonSubTypes.Type(value = Frames.FetchProvision.class, name = "fetchProvision"),
})
public sealed interface Frame permits Frames.ServerFrame, Frames.Request {
}
