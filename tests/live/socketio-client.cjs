// A Socket.IO client driven over standard input and output, for the Rust tests: the
// official socket.io-client from npm, connected as a web or mobile client would be.
//
//   node socketio-client.cjs URL PATH [TOKEN]
//
// Prints one JSON line per thing that happens: {"kind":"connect"}, {"kind":"connect_error",
// "message"}, {"kind":"disconnect","reason"}, {"kind":"event","event","data"} and
// {"kind":"ack","id","data"}. Reads one JSON command per line:
//   {"op":"emit","event":"join-admin-room","ack":"a1"}   emits (with an ack when "ack" is set)
//   {"op":"rejoin","event":"join-admin-room"}            emits it again on every reconnection
//   {"op":"close"}                                        disconnects and exits
// Socket.IO's module is found through NODE_PATH (the test command's node_modules).

const { io } = require("socket.io-client");
const readline = require("node:readline");

const [url, path, token] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const socket = io(url, {
  path,
  // API Gateway has no long polling: the WebSocket transport from the start.
  transports: ["websocket"],
  auth: token ? { token } : {},
  // Quick reconnections: the tests close connections on purpose.
  reconnectionDelay: 20,
  reconnectionDelayMax: 100,
  randomizationFactor: 0,
});

const rejoin = [];
socket.on("connect", () => {
  print({ kind: "connect" });
  for (const event of rejoin) {
    socket.emit(event, (data) => print({ kind: "ack", id: `rejoin:${event}`, data }));
  }
});
socket.on("connect_error", (err) => print({ kind: "connect_error", message: err.message }));
socket.on("disconnect", (reason) => print({ kind: "disconnect", reason }));
socket.onAny((event, data) => print({ kind: "event", event, data }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = JSON.parse(line);
  if (command.op === "emit") {
    if (command.ack) {
      socket.emit(command.event, (data) => print({ kind: "ack", id: command.ack, data }));
    } else {
      socket.emit(command.event);
    }
  } else if (command.op === "rejoin") {
    rejoin.push(command.event);
  } else if (command.op === "close") {
    socket.disconnect();
    process.exit(0);
  }
});
