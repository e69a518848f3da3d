/** A secret or link shown only right after it is made, in a read-only field that selects itself on focus. */
export function ShownOnce(props: { name: string; title: string; text: string; value: string; data: "data-secret" | "data-share-created" }) {
  return (
    <div class="card" role="status" {...{ [props.data]: "" }}>
      <h2>{props.title}</h2>
      <p class="muted">{props.text}</p>
      <input class="share-url" name={props.name} readOnly value={props.value} onFocus={(e) => e.currentTarget.select()} />
    </div>
  );
}
