import { render } from "solid-js/web";
import { App } from "./app";
// Applies the colour scheme before the first paint.
import "./lib/theme";
import "./styles.css";

render(() => <App />, document.getElementById("root")!);
