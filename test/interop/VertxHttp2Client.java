// What ksqlDB's Java client does over HTTP/2, with the HTTP client it is built on (Vert.x, whose
// HTTP/2 is Netty's), against a Riffle server: h2c with prior knowledge, one connection, many
// streams. Run by vertx-client.test.ts as `java -cp <vertx jars> VertxHttp2Client.java <port>`;
// prints one `name: value` line per check.
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

public class VertxHttp2Client {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      String ddl = "{\"ksql\":\"CREATE STREAM VX (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='vx', PARTITIONS=2, VALUE_FORMAT='JSON');"
          + " CREATE TABLE VXT AS SELECT ID, LATEST_BY_OFFSET(NAME) AS NAME FROM VX GROUP BY ID;\","
          + "\"streamsProperties\":{\"ksql.streams.auto.offset.reset\":\"earliest\"}}";
      System.out.println("ddl: " + send(client, HttpMethod.POST, "/ksql", ddl).contains("\"status\":\"SUCCESS\""));

      // /inserts-stream: the arguments, then rows written one by one while acks come back.
      CompletableFuture<String> acks = new CompletableFuture<>();
      client.request(HttpMethod.POST, "/inserts-stream").onSuccess(req -> {
        req.setChunked(true);
        StringBuilder text = new StringBuilder();
        req.response().onSuccess(resp -> {
          resp.handler(b -> text.append(b.toString()));
          resp.endHandler(v -> acks.complete(text.toString()));
        });
        req.write("{\"target\":\"VX\"}\n");
        for (int i = 0; i < 2000; i++) req.write("{\"ID\":" + i + ",\"NAME\":\"n" + i + "\"}\n");
        req.end();
      }).onFailure(acks::completeExceptionally);
      String[] ackLines = acks.get(60, TimeUnit.SECONDS).trim().split("\n");
      System.out.println("acks: " + ackLines.length + " " + ackLines[ackLines.length - 1]);

      String push = send(client, HttpMethod.POST, "/query-stream",
          "{\"sql\":\"SELECT * FROM VX EMIT CHANGES LIMIT 3;\",\"properties\":{\"auto.offset.reset\":\"earliest\"}}");
      System.out.println("push rows: " + (push.trim().split("\n").length - 1));

      // The table catches up, then 3000 pull queries share the connection at once.
      for (int i = 0; i < 100 && !send(client, HttpMethod.POST, "/query-stream", pull(1999)).contains("\"n1999\""); i++) Thread.sleep(100);
      List<io.vertx.core.Future<String>> pulls = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        String body = pull(i % 2000);
        pulls.add(client.request(HttpMethod.POST, "/query-stream")
            .compose(req -> req.putHeader("accept", "application/json").send(body).compose(HttpClientResponse::body)).map(Buffer::toString));
      }
      int right = 0;
      for (int i = 0; i < pulls.size(); i++) {
        if (pulls.get(i).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).contains("\"n" + (i % 2000) + "\"")) right++;
      }
      System.out.println("pulls right: " + right);

      // A response larger than the client's stream window (Netty's default 64 KB).
      String scan = send(client, HttpMethod.POST, "/query-stream", "{\"sql\":\"SELECT ID, NAME, NAME AS N2, NAME AS N3, NAME AS N4 FROM VXT;\"}");
      System.out.println("scan rows: " + (scan.trim().split("\n").length - 1) + " bytes>64k: " + (scan.length() > 65536));

      // The client resets a push query; the connection goes on.
      CompletableFuture<Boolean> reset = new CompletableFuture<>();
      client.request(HttpMethod.POST, "/query-stream").onSuccess(req -> req.send("{\"sql\":\"SELECT * FROM VX EMIT CHANGES;\","
          + "\"properties\":{\"auto.offset.reset\":\"earliest\"}}").onSuccess(resp -> resp.handler(b -> {
            if (!reset.isDone()) req.reset().onComplete(r -> reset.complete(r.succeeded()));
          })));
      System.out.println("reset: " + reset.get(30, TimeUnit.SECONDS));
      System.out.println("after reset: " + send(client, HttpMethod.GET, "/info", null).contains("KsqlServerInfo"));
    } finally {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static String pull(int id) {
    return "{\"sql\":\"SELECT * FROM VXT WHERE ID = " + id + ";\"}";
  }

  static String send(HttpClientAgent client, HttpMethod method, String path, String body) throws Exception {
    return client.request(method, path).compose(req -> (body == null ? req.send() : req.send(body)).compose(HttpClientResponse::body))
        .map(Buffer::toString).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
