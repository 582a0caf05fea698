// One polite live region for "Saved", "Archived 3 credentials" and the like.
import { useEffect, useState } from 'preact/hooks';

let push: (msg: string) => void = () => {};

export function announce(msg: string) {
  push(msg);
}

export function Notices() {
  const [msg, setMsg] = useState('');
  const [seq, setSeq] = useState(0);
  useEffect(() => {
    push = (m) => {
      setMsg(m);
      setSeq((s) => s + 1);
    };
    return () => {
      push = () => {};
    };
  }, []);
  useEffect(() => {
    if (!msg) return;
    const t = setTimeout(() => setMsg(''), 5000);
    return () => clearTimeout(t);
  }, [seq]);
  return (
    <div class={`toast${msg ? ' show' : ''}`} role="status" aria-live="polite">
      {msg}
    </div>
  );
}
