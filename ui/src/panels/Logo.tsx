/** The product mark: one isometric block, the thing the whole UI is made of. */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" class="uc-logo">
      <path d="M16 3 29 10.5 16 18 3 10.5z" fill="#81c784" />
      <path d="M3 10.5 16 18v12L3 22.5z" fill="#4caf50" />
      <path d="M29 10.5 16 18v12l13-7.5z" fill="#2e7d32" />
    </svg>
  );
}
